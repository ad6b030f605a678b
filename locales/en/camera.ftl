# Camera check-in (the Mini App's camera page). camera-page-* texts go into the page as textContent: no markup, no variables.

button-camera = 📷 Take it with the camera
camera-required = This campaign takes only photos taken on the camera page. Tap "📷 Take it with the camera" below.
camera-required-hint = 📷 Take the photo with the "Take it with the camera" button below.
camera-stamp = 📷 Camera · { $day } { $time }
button-allow-chat-photos = 📎 Allow chat photos
button-withdraw-chat-photos = 📷 Camera only
participant-chat-photos-allowed = { $name } may now certify with photos sent in the chat.
participant-chat-photos-withdrawn = { $name } now certifies with the camera page only, like everyone.
participant-chat-photos-line = Chat photos: allowed (camera-only campaign)
web-allow-chat-photos = 📎 Allow chat photos
web-withdraw-chat-photos = 📷 Camera only

camera-page-title = Camera check-in
camera-page-start = Start photo
camera-page-end = End photo
camera-page-opening = Opening the camera…
camera-page-shoot = Take
camera-page-sending = Sending…
camera-page-sent = Sent! See the answer in the chat.
camera-page-retry = Try again
camera-page-denied = Camera access is off. On Android: Settings → Apps → Telegram → Permissions → Camera; on iPhone: Settings → Telegram → Camera. Allow it, then tap "Try again".
camera-page-ask-leader = If it still does not work, ask a leader to allow chat photos for you.
camera-page-busy = Another app is using the camera. Close it and tap "Try again".
camera-page-unsupported = This camera cannot take the picture. Tap "Try again".
camera-page-phone-only = Please do this step in Telegram on your phone.
camera-page-refused = Only approved participants can use this page. Open it again from the button in the bot's chat.
camera-page-nothing-open = There is no photo to take now. Start a certification with /certify in the chat.
camera-page-expired = This page timed out. Tap "Try again" to take a new one.
camera-page-failed = The photo could not be sent. Tap "Try again".
camera-page-location = Your position is sent too (leaders only).
