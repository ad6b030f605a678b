## Leaders' console: stats, ranking, leaders

command-stats = (Leaders) stats and chart
command-top = (Leaders) top participants
command-leaders = (Leaders) who the leaders are
stats-no-round = No round is set up yet.
stats-title = 📊 <b>{ $round } stats</b> (as of { $day })
stats-participants = 👥 { $approved } participants ({ $active } reachable, { $inactive } blocked the bot) · { $pending } awaiting approval · { $applying } applying · { $rejected } rejected
stats-categories = 🎒 middle school { $middle } · high school { $high } · university { $university } · adults { $adult }
stats-certifications = ✅ today { $today } · this round { $round_total } · participants who certified at least once { $certified_once }
stats-reward-line = 🎁 { $reward } ({ $count }): { $reached } reached, { $handed } handed out
stats-chart-title = { $round }: certifications per day
stats-chart-axis = one bar = one day's certifications
stats-chart-summary = { $total } in total · { $average } a day on average
top-title = 🏆 <b>{ $round } top { $count }</b> (certifications, ties by longest streak, then useful unsafe-spot reports)
top-line = { $rank }. { $name } — { $certifications } ({ $streak }-day longest streak, { $reports } useful reports)
top-empty = No certifications in { $round } yet.
top-unknown-round = No such round. Rounds: { $rounds }
leaders-title = 👮 <b>Leaders</b> (the LEADER_IDS setting)
leaders-line = • { $name } (ID { $user_id })
command-broadcast = (Leaders) message everyone
broadcast-ask = Send the announcement for all participants: a text, or a photo with a caption. (/cancel to stop)
broadcast-preview = 👀 Preview. The { $count } reachable participants will get exactly this.
button-broadcast-send = 📣 Send to everyone
button-broadcast-cancel = Don't send
broadcast-queued = 📣 Sending to { $count } participants. During quiet hours it waits for the morning.
broadcast-cancelled = The announcement was not sent.
broadcast-unsupported = Announcements can be a text or a photo. Start again with /broadcast.
command-export = (Leaders) export the 1365 hours or the risk reports
command-backup = (Leaders) database backup
command-mydata = Get my data
command-delete = Delete my data
command-participant = (Leaders) see or manage a participant
participant-usage = Add a name or Telegram id, e.g. /participant Kim
participant-none = No participant found for '{ $query }'.
participant-card =
    👤 <b>{ $name }</b> (ID { $user_id })
    Status: { $status ->
        [approved] taking part
        [pending] awaiting approval
        [applying] filling in the application
        [rejected] not taking part
       *[other] { $status }
    }{ $paused ->
        [yes] {" "}· paused
       *[other] {""}
    }{ $reachable ->
        [yes] {""}
       *[other] {" "}· blocked the bot
    }
    Category: { $category ->
        [middle] middle school
        [high] high school
        [university] university
        [adult] adult
       *[other] —
    } · school/affiliation: { $affiliation } · neighbourhood: { $neighbourhood }
    1365 ID: { $volunteer_id }
    Reason: { $reason }
    Rewards handed out: { $handed_out }
button-pause = ⏸ Pause
button-resume = ▶️ Resume
button-remove = 🚪 Remove
button-fix-name = Fix the name
button-fix-volunteer-id = Fix the 1365 ID
participant-ask-pause = Type the reason for pausing. The participant will read it as written.
participant-ask-remove = Type the reason for removing them. The participant will read it as written.
participant-ask-name = Type the corrected name.
participant-ask-volunteer-id = Type the corrected 1365 ID.
participant-unchanged = Nothing changed (already in that state, or no such participant).
participant-told-paused =
    A leader paused your participation for now: certifications and reminders stop meanwhile.
    Reason: { $reason }
participant-told-resumed = You can take part again! Certify with /certify. 🙌
participant-told-removed =
    A leader ended your participation in this campaign.
    Reason: { $reason }
    Your certifications so far stay on record. Ask a leader if you have questions.
handout-done = Marked as handed out.
handout-already = Already marked as handed out.
handout-unknown = This reward can't be handed out (not reached yet, or the button is not valid).
button-handout-letter = 🎖 { $rank }. { $name }: letter handed out
button-handout-milestone = 🎁 Mark as handed out

button-top-round = { $chosen ->
        [yes] • { $round }
       *[other] { $round }
    }
button-top-size = { $chosen ->
        [yes] • TOP { $count }
       *[other] TOP { $count }
    }
participant-list = 👤 Whom do you want to see? Tap a name. To search by part of a name: /participant Minji
participant-list-empty = Nobody has applied yet.
participant-found = { $count } people match '{ $query }'. Whom do you want to see?
button-participant = { $name } · { $status ->
        [approved] { $paused ->
            [yes] paused
           *[other] taking part
        }
        [pending] waiting for approval
        [applying] filling in the form
       *[other] not taking part
    }
button-previous = ◀ Previous
button-next = Next ▶
