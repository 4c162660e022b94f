# Hearth UI strings, English. Every message here must also exist in zh-CN.ftl (a core test checks).

app-title = Hearth
app-tagline = Small routines, a warmer home
skip-to-content = Skip to the content
home-heading = Challenges
challenge-count = { $count ->
    [one] 1 challenge
   *[other] { $count } challenges
}

scene-morning = Morning
scene-leaving = Leaving home
scene-coming-home = Coming home
scene-sleep = Sleep

difficulty-easy = Easy
difficulty-medium = Medium
difficulty-hard = Hard

points = { $points } points
rule-count = { $target ->
    [one] Once
   *[other] { $target } times
}
rule-streak = { $days }-day streak
rule-duration = { $minutes } minutes in total
window-days = { $days ->
    [one] within 1 day
   *[other] within { $days } days
}

status-region = Sync status
status-connecting = Connecting…
status-online = Online
status-offline = Offline
last-synced = Last synced { $time }
never-synced = Not synced yet
offline-showing-saved = You are offline. These are the challenges saved on this device.
sync-now = Sync now

sync-problem-unreachable = Can't reach the Hearth server.
sync-problem-timed-out = The Hearth server took too long to answer.
sync-problem-server-error = The Hearth server had a problem (error { $status }).
sync-problem-bad-response = The server sent data Hearth couldn't read. Your saved challenges are unchanged.
sync-problem-too-large = The server's answer was too large to accept. Your saved challenges are unchanged.
sync-problem-local-store = Couldn't save to this device's storage.
sync-problem-invalid-server-url = Hearth is set up with a server address that is not a valid web address.
account-sign-in = Sign in
account-sign-out = Sign out
account-signed-in-as = Signed in as { $name }
sign-in-title = Sign in to Hearth
sign-in-email = Email
sign-in-password = Password
sign-in-busy = Signing in…
sign-in-error-wrong-credentials = The email or password is wrong.
sign-in-error-rate-limited = Too many attempts. Wait a minute, then try again.
sign-in-error-unreachable = Can't reach the Hearth server. Check your connection and try again.
sign-in-error-invalid = Enter a valid email address and your password.
sign-in-error-other = Signing in didn't work. Try again.
sign-in-not-remembered = This device has no secure storage, so you'll sign in again next time.
cancel = Cancel
sign-out-confirm-pending = { $count ->
    [one] One change hasn't synced yet and will be lost if you sign out now.
   *[other] { $count } changes haven't synced yet and will be lost if you sign out now.
}
sign-out-anyway = Sign out anyway
changes-waiting = { $count ->
    [one] One change is waiting to sync.
   *[other] { $count } changes are waiting to sync.
}
changes-refused = { $count ->
    [one] The server couldn't accept one change.
   *[other] The server couldn't accept { $count } changes.
}
sync-problem-signed-out = You've been signed out. Sign in again to sync; your changes are kept on this device.
store-recovered = The data saved on this device was damaged and has been reset. It is being restored from the server.

language-label = Language
empty-catalog = No challenges on this device yet. They appear as soon as Hearth reaches the server.
load-error = Couldn't read the challenges saved on this device.
retry = Try again
join = Join
join-named = Join “{ $title }”
progress-of = { $current } of { $target }
joined-pending = Joined · waiting to sync
events-waiting = { $count ->
    [one] +1 waiting to sync
   *[other] +{ $count } waiting to sync
}
challenge-completed = Completed
review-refused = Review
refused-title = Changes the server couldn't accept
refused-explained = These changes were made on this device but the server refused them. Nothing else was affected. Discard each once you've read why.
change-join = Joining “{ $title }”
change-leave = Leaving “{ $title }”
change-join-unlisted = Joining a challenge
change-leave-unlisted = Leaving a challenge
change-events = Activity at home
change-profile = A change to your profile
refused-not-found = This challenge is no longer offered.
refused-already-completed = You've already completed this challenge.
refused-no-consent = Your devices' use counts only with your permission. Switch it on under My home, then use them again.
refused-invalid-event = This activity couldn't be counted: it was recorded more than 30 days ago, or this device's clock was wrong.
refused-photo = The server couldn't use the photo given as proof. Report the task again with another photo.
refused-other = The server said: { $reason }
discard = Discard
close = Close
wallet-label = Your points
wallet-loading = Counting your points…
wallet-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
wallet-pending = +{ $points } waiting to sync
wallet-expiring = { $points } expire { $date }
screens-label = Screens
home-more-title = Add to your home
home-more-preview = See true-to-size products in a photo of your room.
home-more-setup = Connect a new device, step by step, with a voice guide.
not-found-title = This page doesn't exist
not-found = The link may be old, or the address mistyped.
not-found-go = Go to the challenges
challenge-loading = Loading the challenge…
challenge-not-found-title = Challenge not found
challenge-not-found = This challenge is no longer in the catalog. It may have ended.
nav-challenges = Challenges
nav-preview = Room preview
preview-title = See it in your room
preview-intro = Place true-to-size smart-home products in a photo of your room, see a lamp's light and a camera's view, and save the picture.
preview-use-photo = Use a photo of your room
preview-use-demo = Use the demo room
preview-mark-floor = Mark the floor
preview-mark-wall = Mark the wall
preview-export = Save picture
preview-exporting = Saving…
preview-exported = Saved to { $path } ({ $width } × { $height })
preview-loading-photo = Opening your photo…
preview-hint-pick = Choose a product, then tap the picture where it goes.
preview-hint-uncalibrated = Mark the floor first: tap the four corners of something rectangular on the floor (a rug, a table's footprint, a run of tiles) in order around it, then enter its size.
preview-hint-floor-marks = { $left ->
    [one] Tap 1 more corner.
   *[other] Tap { $left } more corners, in order around the rectangle.
}
preview-hint-size = Enter the rectangle's real size, then use the marks.
preview-hint-wall = Tap two points where the wall meets the floor.
preview-hint-wall-first = To hang products on a wall, mark the wall first.
preview-hint-place = Tap where the { $product } should go.
preview-width-label = Width, first side (m)
preview-depth-label = Depth, second side (m)
preview-calibrate = Use these marks
preview-cancel = Cancel
preview-products-heading = Add a product
preview-placed-heading = In the room
preview-nothing-placed = Nothing placed yet.
preview-frame-alt = { $count ->
    [0] The room, with no products placed
    [one] The room with 1 product placed
   *[other] The room with { $count } products placed
}
preview-frame-failed = The picture could not be drawn on this device.
preview-mark-number = Corner { $number }
preview-selected-heading = { $product }
preview-item-handle = { $product }: select, drag, or move with the arrow keys
preview-move-hint = Drag it on the picture, or focus it and use the arrow keys.
preview-turn-label = Turn (degrees)
preview-turn-left = Turn left 15°
preview-turn-right = Turn right 15°
preview-remove = Remove
preview-light-on = Light on
preview-light-colour = Light colour
preview-light-brightness = Brightness
preview-wall-mounted = Hangs on the wall, facing the room.
preview-size = { $width } × { $height } × { $depth } cm
product-speaker = Smart speaker
product-lamp = Smart table lamp
product-thermostat = Thermostat
product-camera = Indoor camera
product-door-lock = Smart door lock
product-plug = Smart plug
product-light-strip = Light strip
product-curtain-motor = Curtain motor
product-motion-sensor = Motion sensor
preview-not-an-image = That file is not a photo. Choose a JPEG, PNG or WebP picture.
preview-unsupported-image = That kind of picture is not supported. Choose a JPEG, PNG or WebP picture.
preview-image-too-large = That photo is too large. Choose one under 40 MB and 64 megapixels.
preview-damaged-image = That photo is damaged and cannot be opened.
preview-bad-size = Enter a width and depth between 0.1 and 30 metres.
preview-mark-outside = A mark is outside the picture. Mark the corners again.
preview-marks-collinear = Three of the marks are on one line. Tap the four corners of a rectangle on the floor.
preview-marks-crossed = The marks cross over. Tap the corners in order around the rectangle.
preview-marks-impossible = No camera could see a rectangle like that. Check the marks and the size you entered.
preview-not-calibrated = Mark the floor before placing products.
preview-no-wall = Mark the wall before hanging this product.
preview-missed = That point is not on the floor or the wall. Tap inside the room.
preview-wall-too-short = Tap two points further apart along the wall.
preview-unknown = That product is no longer in the room.
preview-faces-wall = Wall products face the room and cannot be turned.
preview-no-light = This product gives no light.
preview-too-many = The room is full: remove a product to add another.
preview-render = The picture could not be drawn on this device.
preview-failed = That did not work. Please try again.
preview-place-centre = Place it in the middle of the picture
preview-share = Share to the community
preview-share-caption = Caption (optional)
preview-sharing = Sharing…
preview-shared = Shared to the community feed.
preview-share-signed-out = Sign in to share to the community.
preview-share-offline = Sharing needs a connection. Save the picture instead, or try again when you're online.
guide-step-spoken = Step { $number } of { $count }. { $text }
guide-reminder = Take your time. { $text } Press Next when you're done.
guide-offer-help = Need a hand? Press Help to hear more about this step, or ask your family for help.
guide-finished = All done. { $title }: finished.
nav-setup = Set up a device
read-aloud = Read aloud
read-aloud-unavailable = Voice is unavailable on this device.
setup-title = Set up a device
setup-intro = Step-by-step help, spoken aloud and shown in large text. Take your time: you can repeat, go back or ask for help at any step.
setup-steps = { $count } steps
setup-start = Start
setup-step-of = Step { $number } of { $count }
setup-next = Next
setup-repeat = Repeat
setup-back = Back
setup-help = Help
setup-skip = Skip this step
setup-close = Close the guide
setup-finished = All done. { $title }: finished.
setup-help-heading = Help
setup-reminder = Take your time. Press Next when you're done.
setup-offer-help = Need a hand? Press Help to hear more, or ask your family for help.
setup-voice-unavailable = Voice is unavailable on this device, so the steps are shown here in large text.
setup-voice-heading = Voice
setup-voice-rate = Speaking speed
setup-voice-volume = Volume
setup-skipped = Skipped steps: { $steps }
help-notification-title = { $name } asked for help
help-notification-body = They pressed Help in Hearth. Please call them back when you can.
senior-toggle = Simple view
senior-home-label = Home
senior-tile-help = Ask family for help
senior-tile-setup = Set up a device
senior-tile-challenges = My challenges
senior-tile-standard = Standard view
senior-back-home = Back to home
senior-confirm-standard = Leave the simple view? Text gets smaller and there are more buttons.
senior-confirm-close-guide = Stop this guide? You can start it again later.
confirm-yes = Yes
confirm-no = No, go back
help-title = Ask your family for help
help-explain = One tap sends a message to your family contacts. You will see here when each of them has received it.
help-send = Ask for help now
help-sending = Sending…
help-sent = Sent at { $time }
help-reached = { $name } received it at { $time }
help-not-reached = { $name } has not received it yet
help-none = You have not asked for help yet.
help-no-contacts = Nobody is set up to receive your requests yet. Ask the person who set up your household to add your family contacts.
help-offline = Asking for help needs a connection. Please try again, or call someone directly.
help-signed-out = Sign in to ask your family for help.
senior-confirm-sign-out = Sign out of Hearth on this device?
nav-home-devices = My home
devices-title = Your home
devices-intro = Try your smart home here: lights, the air conditioner, a plug, the door lock and the curtain. What you do counts for your challenges, just as real devices will.
devices-signed-out = Sign in so what you do here counts for your challenges.
devices-not-collected = Your devices' use isn't counted: Hearth collects it only with your permission, which you can give just below.
devices-counted = { $count ->
    [one] 1 activity counted for your challenges.
   *[other] { $count } activities counted for your challenges.
}
devices-lights = Lights
room-living-room = Living room
room-bedroom = Bedroom
room-kitchen = Kitchen
devices-all-lights-off = All lights off
devices-ac = Air conditioner
devices-ac-power = Air conditioner on
devices-ac-eco = Eco mode
devices-ac-target = Target: { $celsius } °C
devices-ac-warmer = Warmer
devices-ac-cooler = Cooler
devices-plug = Smart plug
devices-plug-power = Plug on
devices-plug-schedule = Switch on every day at
devices-plug-schedule-set = Set schedule
devices-plug-schedule-clear = No schedule
devices-lock = Door lock
devices-lock-state = Locked
devices-curtain = Curtain
devices-curtain-state = Open
devices-scenes = Scenes
devices-leaving = I'm leaving
devices-coming-home = I'm home
devices-failed = That did not work. Please try again.
reminder-title = Your home routines for today
reminder-body = Open Hearth to see how your challenges are going.
nav-settings = Settings
settings-title = Settings
settings-reminders = Reminders
settings-daily = Remind me every day
settings-daily-time = At
settings-quiet = Quiet hours
settings-quiet-on = No reminders during quiet hours
settings-quiet-from = From
settings-quiet-to = To
settings-save = Save
settings-saved = Saved.
settings-invalid = Choose a time for each setting you turned on.
nav-rewards = Rewards
rewards-title = Rewards for your points
rewards-balance = You have { $points } points.
rewards-cost = { $points } points
rewards-redeem-named = Redeem “{ $title }”
rewards-redeem = Redeem
rewards-confirm = Spend { $points } points on “{ $title }”?
rewards-offline = Redeeming needs a connection. Your points are safe; try again when you're online.
rewards-not-enough = Not enough points for this reward yet.
rewards-signed-out = Sign in to redeem rewards.
rewards-unavailable = Rewards can't be loaded right now. Check your connection.
rewards-code-title = Show this at the counter
rewards-code-alt = QR code for “{ $title }”
rewards-code-text = Code: { $code }
rewards-status-issued = Valid until { $date }
rewards-status-consumed = Used at the counter. Enjoy!
rewards-status-refunded = Expired unused; your points came back.
rewards-done = Done
rewards-mine = Your codes
rewards-show = Show code
challenge-completed-title = Challenge completed!
challenge-completed-body = { $title }: +{ $points } points are in your wallet.

streak-risk-title = Keep your streak going
streak-risk-body = Your { $days ->
    [one] 1-day
   *[other] { $days }-day
} streak in “{ $title }” ends at midnight. Do it once more today to keep it.
expiry-title = Points expiring soon
expiry-body = { $points } points expire on { $date }. Spend them on a reward before then.
alerts-heading = Warnings
alerts-streak = Warn me in the evening when a streak would break at midnight
alerts-expiry = Tell me a week before my points expire

badges-heading = Badges
badges-count = { $earned } of { $total } earned
badge-earned-on = Earned { $date }
badge-progress = { $current } of { $target }
badge-first-step = First step
badge-first-step-how = Complete your first challenge.
badge-early-riser = Early riser
badge-early-riser-how = Complete a morning challenge.
badge-off-you-go = Off you go
badge-off-you-go-how = Complete a leaving-home challenge.
badge-welcome-home = Welcome home
badge-welcome-home-how = Complete a coming-home challenge.
badge-sweet-dreams = Sweet dreams
badge-sweet-dreams-how = Complete a sleep challenge.
badge-round-the-clock = Round the clock
badge-round-the-clock-how = Complete a challenge in every part of the day.
badge-streak-keeper = Streak keeper
badge-streak-keeper-how = Complete a streak of 7 days or more.
badge-hard-worker = Hard worker
badge-hard-worker-how = Complete a hard challenge.
badge-high-five = High five
badge-high-five-how = Complete 5 challenges.

details = Details
details-named = Details of “{ $title }”
detail-what-counts = What counts
detail-goal = Goal
detail-window = Time allowed
detail-window-ends = Ends { $date }
detail-your-progress = Your progress
detail-completed-on = Completed { $date }
streak-days = { $days ->
    [one] 1 day in a row
   *[other] { $days } days in a row
}
streak-done-today = Done today
streak-at-risk = Not yet today: do it today to keep your streak
streak-best = Best: { $days } in a row
leave-challenge = Leave this challenge
leave-challenge-confirm = Leave “{ $title }”? Your progress in it will be lost.
trigger-device-curtain-open = Opening the curtains
trigger-device-plug-schedule-ran = The plug's schedule switching it on
trigger-scene-leaving-ran = Running the “Leaving home” scene
trigger-device-lock-locked = Locking the front door
trigger-scene-coming-home-ran = Running the “Coming home” scene
trigger-device-ac-eco-minutes = Minutes of the air conditioner in eco mode
trigger-device-light-all-off-by-bedtime = Every light off between 20:00 and 23:00
trigger-device-plug-off-overnight = Switching the plug off at night (22:00–06:00)
trigger-app-device-setup-finished = Finishing a device's set-up guide
trigger-other = Events from your home's devices

completed-heading = Challenge completed!
completed-points = +{ $points } points are in your wallet.
completed-new-badges = New badges
share-completion = Share to the community
share-card-points = { $points ->
    [one] +1 point
   *[other] +{ $points } points
}
share-card-badge = New badge: { $badge }
share-card-footer = Hearth · { $date }
share-card-alt = The picture to share: “{ $title }” completed, +{ $points } points
share-card-include = Post this picture with it
share-caption = Caption
share-caption-default = I completed “{ $title }” with Hearth: +{ $points } points!
sharing = Posting…
shared-completion = Posted to the community feed.
share-error-offline = You're offline. Connect to post to the community.
share-error-other = Couldn't post. Try again.

history-heading = Points history
history-challenge = Completed “{ $title }”
history-challenge-unlisted = Completed a challenge
history-grant = From Hearth: { $memo }
history-redeem = Redeemed: { $title }
history-redeem-unlisted = Redeemed a reward
history-refund = Returned: the code for { $title } expired unused
history-refund-unlisted = Returned: a reward code expired unused
history-expire = Points expired
history-more = Show more
history-empty = No points yet. Complete a challenge to earn some.
history-offline = Connect to the internet to see your points history.
history-error = Couldn't load your points history.
consent-heading = Your devices and challenges
consent-explain = Challenges about lights, plugs, locks, curtains and the air conditioner count what your devices (and the virtual home) do. Hearth collects that only with your permission, and you can withdraw it at any time.
consent-label = Let the use of my devices count for challenges
consent-saved = Saved.
consent-error = Couldn't save this on the device. Try again.
badges-see-all = See all badges
task-report = I did it: add a photo
task-sending = Preparing your photo…
task-sent = Recorded. Your photo goes to the server with the next sync, and the task counts once it has it.
task-not-a-photo = That file isn't a photo. Choose a JPEG, PNG or WebP picture.
task-too-large = That photo is too large (at most 20 MB).
task-error = Couldn't record the task. Try again.
nav-league = League
league-title = Weekly league
league-rules = Join a group of up to { $size } people at your level. Points you earn from Monday to Sunday (Beijing time) rank the group; at the week's end the top { $up } move up a level and the bottom { $down } move down.
league-privacy = Others in your group see your display name and your points this week, nothing else. You can leave at any time.
league-join = Join the league
league-offline = Connect to the internet to see the league.
league-ends = Ends { $date }
league-rank = No. { $rank }
league-you = You're { $rank } of { $size } with { $points } points this week.
league-table = This week's table
league-you-mark = (you)
league-zone-up = Moving up
league-zone-down = Moving down
league-last-promoted = Last week you finished { $rank }: you're up to the { $tier }!
league-last-stayed = Last week you finished { $rank }: you stay in the { $tier }.
league-last-demoted = Last week you finished { $rank }: you're in the { $tier } this week.
league-leave = Leave the league
league-leave-confirm = Leave the weekly league? You'll start again in the Bronze league if you come back.
tier-bronze = Bronze league
tier-silver = Silver league
tier-gold = Gold league
tier-diamond = Diamond league
devices-curtain-schedule = Open every day at
devices-lights-off-schedule = All lights off every day at
devices-lock-schedule = Lock every day at
devices-ac-eco-schedule = Start in eco mode every day at
kept-as-of = You're offline: this is how it stood at { $time }.
completed-count = { $count ->
    [one] 1 challenge completed
   *[other] { $count } challenges completed
}
history-points = +{ $points }

## Creating an account
sign-in-new-here = New to Hearth?
sign-in-create-account = Create an account
sign-up-signed-in = You're signed in as { $name }. Sign out first to create another account.
welcome-title = Welcome to Hearth
welcome-body = With an account you join challenges, earn points for rewards, climb the weekly league and set Hearth up for your family.
welcome-sign-in = Already have an account? Use Sign in at the top.
sign-in-forgot = Forgot your password?
reset-title = Set a new password
reset-intro = We'll email you a code. With it you choose a new password here, and every other device signed in to your account is signed out.
reset-step-address = Your account's email
reset-send = Send me a code
reset-send-again = Send a new code
reset-step-code = The code and your new password
reset-sent = If an account uses { $email }, a six-digit code is on its way. It works for { $minutes } minutes. Check your spam folder if it doesn't arrive.
reset-code = Code from the email
reset-code-invalid = Enter the six digits from the email.
reset-submit = Set new password
reset-busy = Setting your password…
reset-error-code = This code is wrong or no longer works. Check the latest email, or send a new code.
reset-error-rate-limited = Too many codes asked for. Wait an hour, then try again.
reset-error-offline = Can't reach the Hearth server, and this needs it. Check your connection and try again.
reset-error-other = That didn't work. Try again in a moment.
account-title = Your account
account-name-legend = How others see you
account-email = Signed in with { $email }
account-name-saved = Saved. Others see the new name once it has synced.
account-password = Password
account-current-password = Current password
account-password-save = Change password
account-password-changed = Password changed. Your other devices are signed out.
account-password-wrong = The current password is wrong.
account-password-failed = Changing the password didn't work. Try again in a moment.
account-needs-server = Can't reach the Hearth server, and this needs it. Check your connection and try again.
account-devices = Devices
account-everywhere-about = Lost a phone, or signed in somewhere you shouldn't have stayed? Sign out on every device, this one too.
account-everywhere = Sign out on every device
account-everywhere-confirm = { $count ->
    [0] Sign out on every device, this one too?
    [one] Sign out on every device, this one too? One change hasn't synced yet and will be lost.
   *[other] Sign out on every device, this one too? { $count } changes haven't synced yet and will be lost.
}
account-everywhere-failed = Signing out everywhere didn't work. Try again in a moment.
account-zone-hint = Streaks, daily challenges and reminders follow the days of this time zone.
account-zone-saved = Saved. Your days now follow this time zone.
account-zone-failed = The time zone couldn't be changed. Try again.
sign-up-title = Create your Hearth account
sign-up-needs-server = Creating an account needs a connection to the Hearth server. Everything else works offline once you're signed in.
sign-up-section-account = Your account
sign-up-section-region = Language and time zone
sign-up-section-terms = Terms and privacy
sign-up-password = New password
sign-up-show-password = Show password
sign-up-password-rules = 8 to 128 characters, and not your email address. A few unusual words together make a strong password that's easy to remember.
sign-up-strength-label = Password strength
sign-up-strength-weak = Weak: easy to guess
sign-up-strength-fair = Fair: could be guessed
sign-up-strength-good = Good
sign-up-strength-strong = Strong
sign-up-weak-common = This is one of the passwords people use most.
sign-up-weak-word = A single word or name is easy to guess. Add another word or two.
sign-up-weak-pattern = Repeats, sequences and keyboard rows are easy to guess.
sign-up-weak-date = Dates and years are easy to guess.
sign-up-name = Your name
sign-up-name-hint = What others see in the league and the community, up to 40 characters.
sign-up-time-zone = Time zone
sign-up-time-zone-hint = Your days begin and end here: streaks and daily reminders follow it. Taken from this device.
sign-up-read-terms = Read the terms of use
sign-up-read-privacy = Read the privacy notice
sign-up-agree = I have read and agree to the terms of use and the privacy notice.
sign-up-submit = Create account
sign-up-busy = Creating your account…
sign-up-email-invalid = Enter an email address such as name@example.com.
sign-up-password-length = Choose a password of 8 to 128 characters.
sign-up-password-is-email = Your password can't be your email address.
sign-up-name-invalid = Enter a name of 1 to 40 characters.
sign-up-agree-needed = To create an account, agree to the terms of use and the privacy notice.
sign-up-error-taken = There's already an account with this email. Sign in instead, or use another address.
sign-up-error-invalid = The server didn't accept these details. Check each field and try again.
sign-up-error-offline = Can't reach the Hearth server, and creating an account needs it. Check your connection and try again.
sign-up-error-other = Creating the account didn't work. Try again in a moment.
terms-title = Terms of use
terms-body =
    Hearth is the companion app of our smart-home products. With an account you can join challenges, earn points, redeem rewards, take part in the weekly league and the community, and set Hearth up for your family.
    Points have no cash value. They are earned by completing challenges, expire as each reward's terms say, and can be withdrawn if they were earned by cheating or by mistake.
    Be kind in the community: no harassment, no hate, nothing illegal, nobody else's private details. Posts that are reported are held for our moderators, who may remove them.
    You can stop using Hearth at any time and ask us to delete your account. We may change these terms; when we do, the app tells you before the change applies.
privacy-title = Privacy notice
privacy-body =
    We keep what your account needs: your email address, your name, your password (only as a salted hash we cannot reverse), your language and time zone, and what you do in Hearth: challenges joined, points, rewards, posts and help requests.
    How your devices are used counts towards challenges only if you allow it in Settings, and you can withdraw that at any time.
    Your session is kept in this device's secure storage. Nothing you type here is shown to others except your name and what you post.
    We never sell your data. You can ask us to show you what we hold about you and to delete it.

## Mail
mail-reset-subject = Your Hearth code
mail-reset-body =
    Hello { $name },

    your code to set a new Hearth password is { $code }. It works for { $minutes } minutes, once.

    If you didn't ask for it, ignore this mail: your password stays as it is. Nobody from Hearth will ever ask you for this code.

mail-email-code-subject = Confirm your new Hearth e-mail address
mail-email-code-body =
    Hello { $name },

    to move your Hearth account to this address, enter the code { $code } in the app. It works for { $minutes } minutes, once.

    If you didn't ask for it, ignore this mail: nothing changes. Nobody from Hearth will ever ask you for this code.
mail-email-changed-subject = Your Hearth e-mail address was changed
mail-email-changed-body =
    Hello { $name },

    your Hearth account now uses { $email }. Signing in, codes and mail go there from now on.

    If you didn't do this, someone may know your password: reply to this mail and we will help you get your account back.

## Household and family
household-open = Your household and family
household-title = Your household
household-about = The people you live with or look after. A senior's help requests reach the family members chosen for them, and family can switch a senior's simple view from their own phone.
household-signed-out = Sign in to see your household.
household-loading = Reading your household…
household-needs-server = This needs a connection to Hearth. Try again when you are online.
household-code-used = That invitation was used already. Ask for a new one.
household-code-expired = That invitation has expired. Ask for a new one.
household-code-unknown = No invitation has that code. Check it, or scan the QR code again.
household-taken = That e-mail address has a Hearth account already. Invite it instead, as a senior.
household-invalid = Check what you typed: a name of at most 40 characters, a valid e-mail address.
household-forbidden = Only the household's owner can do that.
household-owner-stays = The owner cannot leave their own household.
household-failed = That did not work. Try again.
household-qr-alt = QR code of the code { $code }
household-code-until = Works until { $time }, once.
household-create = Create a household
household-name = Household name
household-created = Your household is ready. Invite your family.
household-join = Join a household
household-join-code = Invitation code
household-join-hint = Scan the QR code on your family member's phone, or type the code shown under it.
household-joined = You have joined the household.
household-members = Members
household-role-owner = Owner
household-role-member = Family member
household-role-senior = Senior
household-you = you
household-set-up-by-family = set up by family
household-contacts-are = Help requests reach: { $names }
household-make-senior = Make a senior
household-make-member = Make a family member
household-role-changed = Saved.
household-simple-view-on = Simple view on
household-simple-view-off = Simple view off
household-simple-on = Simple view is on. Their app changes at its next sync.
household-simple-off = Simple view is off. Their app changes at its next sync.
household-new-device = Sign in a new device
household-remove = Remove
household-leave = Leave the household
household-remove-confirm = Remove { $name } from the household? Their help requests stop reaching the family.
household-leave-confirm = Leave the household? You stop receiving its seniors' help requests.
household-removed = Removed.
household-left = You have left the household.
household-contacts-legend = Whose phones { $name }'s help requests reach
household-contacts-save = Save contacts
household-contacts-saved = Saved. Help requests reach the family members you chose.
household-invite = Invite family
household-invite-role = They join as
household-invite-create = Make an invitation
household-invite-title = Invitation
household-invite-how = On their device, open Hearth and scan this QR code, or choose "Your household and family" in Settings and type the code.
household-parent = Set up Hearth for a parent
household-parent-about = For a parent who would rather not deal with passwords: Hearth makes their account here, in the simple view, with you as the one their help requests reach. Their device then signs in with a code from your phone.
household-parent-name = Their name, as the family calls them
household-parent-email = Their e-mail address
household-parent-email-hint = Only for getting back in if every device of theirs is lost. Hearth sends nothing else there.
household-parent-go = Set up and show the code
household-parent-ready = Their account is ready. Now sign their device in with the code below.
household-device-title = Sign in { $name }'s device
household-device-how = On { $name }'s device, open Hearth, choose Sign in, then "Set up by family? Enter a code", and type this code; or scan the QR code with it. It signs in and opens the simple view.
sign-in-by-family = Set up by family? Enter a code
family-sign-in-title = Sign in with a code from family
family-sign-in-about = Your family member's phone shows a code of eight letters and numbers under a QR code. Type it here. You will not need a password.
family-sign-in-code = Code from your family
family-sign-in-invalid = That code does not work. It may be mistyped, used already or more than 15 minutes old: ask for a new one.
family-sign-in-needs-server = Signing in needs a connection to Hearth. Try again when you are online.
account-email-legend = Email address
account-email-new = New email address
account-email-password = Your password
account-email-send = Send a code to the new address
account-email-sent = We sent a six-digit code to { $email }. Enter it here within { $minutes } minutes; until then your account keeps its address.
account-email-code = Code from the email
account-email-confirm = Change email address
account-email-cancel = Start again
account-email-changed = Done. Your account now uses { $email }.
account-email-same = That is your account's address already.
account-email-error-taken = Another account uses that address.
account-email-error-password = The password is wrong.
account-email-error-code = This code is wrong or no longer works. Check the latest email, or start again for a new code.
account-email-error-rate-limited = Too many codes asked for. Wait an hour, then try again.
account-email-failed = Changing the email address didn't work. Try again in a moment.
account-sessions = Signed-in devices
account-session-this = this device
account-session-unknown = An unnamed device
account-session-since = Signed in { $time }
account-session-end = Sign out
account-session-ended = That device is signed out.
account-session-failed = That device could not be signed out. Try again.
household-gone = That member or household is no longer there. Open this screen again to see it as it is now.
household-already-in-one = You belong to a household already: leave it first to join another.
family-sign-in-failed = Signing in did not finish on this device. Ask for a new code and try again.
family-sign-in-signed-in = This device is signed in to an account already. Sign out first to sign it in with a code from family.
