# Hearth UI strings, English. Every message here must also exist in zh-CN.ftl (a core test checks).

app-title = Hearth
app-tagline = Small routines, a warmer home
skip-to-content = Skip to the challenges
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
refused-other = The server said: { $reason }
discard = Discard
close = Close
wallet-label = Your points
wallet-points = { $points ->
    [one] 1 point
   *[other] { $points } points
}
wallet-pending = +{ $points } waiting to sync
wallet-expiring = { $points } expire { $date }
