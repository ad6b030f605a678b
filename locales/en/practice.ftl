# Practice mode (python -m bot practice): the terminal's lines and the practice page. The page
# places practice-web-* texts with textContent (no tags, no variables).

practice-banner = Practice mode: no BOT_TOKEN, so the bot runs against a practice Telegram inside this computer → { $url } · to go live, put the token in .env
practice-banner-on-purpose = Practice mode: the bot runs against a practice Telegram inside this computer → { $url } · for the real Telegram, run python -m bot
practice-port-in-use = Practice mode did not start: another program uses 127.0.0.1:{ $port } (practice mode may already be running). Close it or choose another number with --port.
practice-bot-name = Safety Partner Bot
practice-group-title = Our neighbourhood safety partners
practice-person-participant = Minji Kim
practice-person-second = Seojun Lee
practice-person-leader = Sergeant Park
practice-person-new = New participant { $number }
practice-spot-station = In front of the police station
practice-spot-park = Park entrance
practice-spot-alley = Alley behind the market

practice-web-title = Practice mode · Safety Partner Bot
practice-web-intro = A practice Telegram inside this computer. Nothing sent here goes to the real Telegram.
practice-web-role-participant = Participant
practice-web-role-leader = Leader
practice-web-role-group = Group
practice-web-add-person = Add a person
practice-web-reset = Start over
practice-web-reset-confirm = Erase all practice data and start over?
practice-web-send = Send
practice-web-message-placeholder = Message
practice-web-send-photo = Send a photo
practice-web-send-file = Send as a file
practice-web-sample = Sample photo
practice-web-from-computer = Choose from this computer
practice-web-caption = Caption (optional)
practice-web-join = Ask to join the group
practice-web-open-console = Open the console
practice-web-download = Download
practice-web-location-pick = Choose the location to send
practice-web-cancel = Cancel
practice-web-too-long = The message is too long (4096 characters at most).
practice-web-too-big = The file is too big.
practice-web-not-a-photo = That is not a photo. Try sending it as a file.
practice-web-failed = Could not send. Please try again.
practice-web-restarting = Starting over…
practice-web-next-day-unavailable = There is no "next day" button: scheduled work such as reminders runs on the computer's real clock, so moving only the bot's clock would not be honest practice.
