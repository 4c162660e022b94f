# Hearth 界面文案（简体中文）。每条消息都必须在 en.ftl 中有对应项（core 的测试会检查）。

app-title = Hearth 暖家
app-tagline = 小习惯，暖暖的家
skip-to-content = 跳到挑战列表
home-heading = 挑战
challenge-count = 共 { $count } 个挑战

scene-morning = 早晨
scene-leaving = 出门
scene-coming-home = 回家
scene-sleep = 睡眠

difficulty-easy = 简单
difficulty-medium = 中等
difficulty-hard = 困难

points = { $points } 积分
rule-count = { $target } 次
rule-streak = 连续 { $days } 天
rule-duration = 累计 { $minutes } 分钟
window-days = { $days } 天内完成

status-region = 同步状态
status-connecting = 正在连接…
status-online = 在线
status-offline = 离线
last-synced = 上次同步：{ $time }
never-synced = 尚未同步
offline-showing-saved = 当前离线，显示的是本机保存的挑战。
sync-now = 立即同步

sync-problem-unreachable = 无法连接 Hearth 服务器。
sync-problem-timed-out = Hearth 服务器响应超时。
sync-problem-server-error = Hearth 服务器出现问题（错误 { $status }）。
sync-problem-bad-response = 服务器返回的数据无法读取，本机保存的挑战未受影响。
sync-problem-too-large = 服务器返回的数据过大，已拒收，本机保存的挑战未受影响。
sync-problem-local-store = 无法写入本机存储。
sync-problem-invalid-server-url = Hearth 配置的服务器地址不是有效的网址。
account-sign-in = 登录
account-sign-out = 退出登录
account-signed-in-as = 已登录：{ $name }
sign-in-title = 登录 Hearth
sign-in-email = 邮箱
sign-in-password = 密码
sign-in-busy = 正在登录…
sign-in-error-wrong-credentials = 邮箱或密码不正确。
sign-in-error-rate-limited = 尝试次数过多，请等一分钟后再试。
sign-in-error-unreachable = 无法连接 Hearth 服务器，请检查网络后重试。
sign-in-error-invalid = 请输入有效的邮箱地址和密码。
sign-in-error-other = 登录未成功，请重试。
sign-in-not-remembered = 本设备没有安全存储，下次打开需要重新登录。
cancel = 取消
sign-out-confirm-pending = 还有 { $count } 项改动尚未同步，现在退出将会丢失。
sign-out-anyway = 仍然退出
changes-waiting = 有 { $count } 项改动等待同步。
changes-refused = 服务器未能接受 { $count } 项改动。
sync-problem-signed-out = 登录已失效，请重新登录以同步；你的改动仍保存在本机。
store-recovered = 本机保存的数据已损坏并已重置，正在从服务器恢复。

language-label = 语言
empty-catalog = 本机还没有挑战。连接到服务器后就会显示。
load-error = 无法读取本机保存的挑战。
retry = 重试
join = 参加
join-named = 参加“{ $title }”
progress-of = { $current } / { $target }
joined-pending = 已参加 · 等待同步
events-waiting = +{ $count } 等待同步
challenge-completed = 已完成
review-refused = 查看
refused-title = 服务器未接受的改动
refused-explained = 这些改动是在本机上做的，但服务器没有接受，其他内容不受影响。看过原因后可以逐条放弃。
change-join = 参加“{ $title }”
change-leave = 退出“{ $title }”
change-join-unlisted = 参加一项挑战
change-leave-unlisted = 退出一项挑战
change-events = 家中的活动记录
change-profile = 个人资料的修改
refused-not-found = 这个挑战已不再提供。
refused-already-completed = 你已经完成了这个挑战。
refused-other = 服务器的说明：{ $reason }
discard = 放弃
close = 关闭
wallet-label = 我的积分
wallet-points = { $points } 积分
wallet-pending = +{ $points } 等待同步
wallet-expiring = { $points } 积分将于 { $date } 过期
