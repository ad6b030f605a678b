## Our Neighbourhood Safety Partner bot — English
## Values people typed are HTML-escaped by the bot before they are placed here; <b> and <i> are formatting.

## Start, help, language

welcome =
    Hi { $name }! 👋
    Welcome to <b>{ $campaign }</b>.

    A contact-free crime-prevention project with { $station }. Do a small safety mission in your neighbourhood each day and certify it with two photos, one at the start and one at the end. Each certification counts as { $minutes } minutes of 1365 volunteer time, and there are rewards along the way! 🎁

    ⚠️ <b>Safety first.</b> Patrols are for noticing only: never approach or confront anyone. In an emergency, call <b>112</b> right away.

    { $status ->
        [approved] Ready to certify today's mission?
        [pending] Your application is in and a leader is reviewing it. Hang tight!
       *[other] Press the button below to apply.
    }

help =
    <b>How it works</b>
    /certify — certify a mission (start photo → end photo)
    /me — your certifications and volunteer time
    /settings — your daily reminder time
    /idea — suggest a theme mission
    /report — tell us about an unsafe spot (a broken streetlight, a dark alley, ...)
    /mydata — get your data · /delete — delete your data
    /cancel — stop what you are doing and start over
    /lang — change language (한국어/English)
    /start — the welcome screen

    In an emergency, call 112 right away.

help-leader =
    <b>How it works</b>
    /certify — certify a mission (start photo → end photo)
    /me — your certifications and volunteer time
    /settings — your daily reminder time
    /idea — suggest a theme mission
    /report — tell us about an unsafe spot (a broken streetlight, a dark alley, ...)
    /mydata — get your data · /delete — delete your data
    /cancel — stop what you are doing and start over
    /lang — change language (한국어/English)

    <b>Leaders only</b>
    /pending — applications waiting for a decision
    /audit — refused photos and revoked certifications
    /theme — create a theme mission · /ideas — participants' ideas
    /stats · /top · /leaders · /broadcast — stats, ranking, leaders, announcements
    /export hours · /export reports · /backup — hours and reports exports, database backup

lang-choose = Choose your language.
lang-set = I'll talk to you in English from now on.
language-name-ko = 한국어
language-name-en = English

## Buttons

button-apply = 📝 Apply to join
button-certify = 📸 Certify a mission
button-yes = Yes
button-no = No
button-guardian-yes = My guardian agreed
button-guardian-not-yet = Not yet
button-no-volunteer-id = I don't have a 1365 ID yet
button-consent-yes = ✅ I agree
button-consent-no = I don't agree
button-approve = ✅ Approve
button-reject = ❌ Reject
button-reject-without-reason = Reject without a reason
button-keep-pending = Don't reject (keep pending)
button-cancel-certification = Stop this certification
button-skip-note = Skip

category-middle = Middle school
category-high = High school
category-university = University
category-adult = Adult

## Applying

signup-intro = Let's get you signed up! Answer a few questions. You can stop any time with /cancel.
signup-ask-name = What is your full (real) name? It is used to register your volunteer hours.
signup-ask-category = Which of these are you?
signup-ask-under-14 = Are you under 14 (in full years)?
signup-ask-guardian =
    Under 14, Korean law needs <b>a legal guardian's consent</b> (a parent, for example) before we can collect your details.
    Have you told your guardian about this project, and did they agree?
signup-ask-affiliation =
    { $category ->
        [middle] Which school do you go to? (its full name, e.g. “… Middle School”)
        [high] Which school do you go to? (its full name, e.g. “… High School”)
        [university] Which university do you go to? (its full name, e.g. “… University”)
       *[other] Where do you work, or what group do you belong to? If none, write "none".
    }
signup-ask-neighbourhood = Which neighbourhood do you live in? The dong (or eup, myeon) is enough (e.g. “…-dong”).
signup-ask-volunteer-id = What is your 1365 volunteer portal ID? Your hours are registered under it. If you don't have one yet, press the button.
signup-consent =
    <b>Consent to collect and use personal data</b>

    • Collected by: { $station }
    • What: name, category (student/adult), school or affiliation, neighbourhood, 1365 ID, Telegram name
    • Why: to check and approve participants, register volunteer hours (the local volunteer centre), hand out rewards
    • How long: it is deleted { $retention_days } days after the last campaign round you took part in ends. You can delete it any time before with /delete.
    • You may refuse, but then your application cannot be accepted.

    Do you agree?
signup-submitted = Your application is in! 🙌 A leader (police officer) will review it and I'll let you know.
signup-withdrawn = Application stopped. Whenever you're ready, apply again from /start.
signup-already-approved = You're already an approved participant! Certify today's mission with /certify.
signup-already-pending = Your application is already in and a leader is reviewing it. Hang tight!
signup-not-applying = You have no application in progress. You can start one with the button below.
signup-stale-button = That question has passed. Please answer the latest one.

signup-invalid-empty = That was empty. Please type your answer.
signup-invalid-command = It's time to type an answer. (To stop, use /cancel.)
signup-invalid-one-line = Please keep it to one line.
signup-invalid-volunteer-id = A 1365 ID is 3–30 letters or digits. Please check it.
signup-invalid-too-long = That's a bit long. Please keep it under { $limit } characters.
signup-invalid-name = A name needs some letters. Please type it again.
signup-invalid-press-button = Please answer this one with the buttons below.
signup-invalid-not-text = Please answer this one in text.

## Leaders: application cards and decisions

application-card =
    📝 <b>Application</b>
    Name: { $name }
    Category: { $category ->
        [middle] Middle school
        [high] High school
        [university] University
        [adult] Adult
       *[other] —
    }{ $under14 ->
        [yes] {" "}(under 14, guardian consent: { $guardian ->
            [yes] given
           *[other] not given
        })
       *[other] {""}
    }
    School/affiliation: { $affiliation }
    Neighbourhood: { $neighbourhood }
    1365 ID: { $has_volunteer_id ->
        [yes] { $volunteer_id }
       *[other] none
    }
    Telegram: { $telegram_name } { $username } (ID { $user_id })
    Applied: { $applied }{ $submitted ->
        [yes] {""}
       *[other] {" "}(join request only, no application form yet)
    }
application-decided =
    { $decision ->
        [approved] ✅ Approved by { $leader } ({ $when })
        [rejected] ❌ Rejected by { $leader } ({ $when })
       *[other] Waiting for a decision
    }
application-decided-reason = Reason: { $reason }
application-unknown = I can't find this application. It was withdrawn, or the button is not valid.
application-already-decided = This application was already decided. { $line }
leaders-only = Only leaders (police officers) can do this.
reject-ask-reason = Rejecting { $name }'s application. Type the reason the applicant will read, in one line, or press the button to reject without a reason.
reject-kept = Not rejected. The application is still pending.
reject-reason-invalid = Please type the reason as one line of text, up to { $limit } characters.
reject-done = { $name }'s application was rejected and they have been told.

decision-approved =
    🎉 { $name }, you're approved! You are now a Neighbourhood Safety Partner.
    Certify today's mission with /certify: send a <b>start photo</b> and an <b>end photo</b> of your activity.{ $link ->
        [yes] {""}

        👉 Your link to the participants' group (works once): { $invite_link }
       *[other] {""}
    }{ $joined ->
        [yes] {""}

        Your request to join the group was approved too.
       *[other] {""}
    }
decision-rejected =
    { $name }, sorry: your application was not approved this time.{ $has_reason ->
        [yes] {""}
        Reason: { $reason }
       *[other] {""}
    }
    If you have questions, ask the police station's contact. You can also fix your details and apply again from /start.

pending-page =
    { $count ->
        [one] One application is waiting for a decision.
       *[other] { $count } applications are waiting for a decision.
    } (page { $page } of { $pages })
    Tap a name to open its application card.
pending-line = { $number }. <b>{ $name }</b> · { $affiliation }
pending-decided = This application was already decided or no longer exists.
button-pending-open = { $number }. { $name }
button-pending-previous = ◀ Previous
button-pending-next = Next ▶
button-pending-console = 🗂 See them all in the console
pending-none = No applications are waiting. 👍

join-request-apply =
    We got your request to join the <b>{ $campaign }</b> group! 👋
    To take part, please fill in the application here first. Once a leader approves it, you can join the group too.
join-request-waiting =
    We got your request to join the group! 👋
    A leader is reviewing your application. Once it is approved, your join request is approved with it.
join-digest =
    🚪 <b>Join requests without an application, { $day }</b>
    { $capped ->
        [yes] More than { $joins } people
       *[other] { $joins } { $joins ->
            [one] person
           *[other] people
        }
    } asked to join the group without an application. The bot pointed each of them to the application; they can join only once it is approved.
    { $names }{ $capped ->
        [yes] {""}

        ⚠️ Today's limit of { $cap } is reached: further requests are not added to this card. They wait until an application arrives.
       *[other] {""}
    }{ $overflow ->
        [0] {""}
       *[other] {""}

        📝 Past today's limit of { $card_cap } application cards, { $overflow } more are waiting: /pending
    }{ $declined ->
        [0] {""}
       *[other] {""}

        🚫 { $declined } join requests were declined.
    }
button-decline-waiting-joins = 🚫 Decline all join requests without an application
join-decline-done = Declined { $count } join requests without an application.
application-no-consent = This person has not sent the application with the consent yet, so they cannot be approved. Their card will come when they do.

## Certifying

progress =
    📊 <b>Your certifications</b>
    Today { $today } · { $round ->
        [none] no round running
       *[other] { $round }: { $round_count }
    } · total { $total }
    ⏱ Volunteer time { $hours } h{ $minutes ->
        [0] {""}
       *[other] {" "}{ $minutes } min
    } ({ $portal_hours } h registered on 1365{ $carried ->
        [0] {""}
       *[other] , { $carried } min carried to the next hour
    })
    { $has_reward ->
        [yes] 🎁 { $remaining } more to your next reward: '{ $reward }'!
       *[other] 🏆 You've reached every reward!
    }

cert-earlier-start-expired = ⏰ The certification you started on { $day } had no end photo, so it closed at midnight that day.
cert-not-participant = Only approved participants can certify. Please apply first!
cert-no-round =
    Certifications are not open right now.{ $has_next ->
        [yes] {" "}{ $next_round } starts on { $next_start }. See you then!
       *[other] {""}
    }
cert-daily-limit = You've already certified this mission { $limit ->
    [one] once
   *[other] { $limit } times
} today. See you tomorrow! 🌙
cert-choose-mission = Which mission are you certifying today?
cert-send-start =
    📸 <b>{ $mission }</b>
    { $description }

    As you start, take a <b>start photo</b> and send it. (As a photo or as a file, both work.)
cert-send-end = 📸 Done with <b>{ $mission }</b>? Take an <b>end photo</b> and send it.
cert-start-recorded =
    Got your start photo! 👍 Stay safe, and send the <b>end photo</b> when you're done.
    • The end photo is accepted { $minutes } minutes after the start at the earliest.
    • Send it before midnight today.
cert-too-soon = You only just started. Send the end photo in { $minutes } min.
cert-end-before-start = This photo seems to be older than your start photo. Take a new one after your activity.
cert-start-expired = ⏰ The certification you started on { $day } closed at midnight. Start again today!
cert-accepted = ✅ <b>Certified!</b> '{ $mission }' Thanks for looking after the neighbourhood today. 🙌
cert-ask-note = Anything to add in one line (how it went, a broken streetlight you found)? Or skip.
cert-nothing-open = You have no certification in progress. Start one with the button below!
cert-unknown-mission = That mission can't be certified today. Please choose again.
cert-cancelled = Certification stopped. You can start again any time.

photo-expected = Please send a photo! 📷 (Stickers, voice messages and text can't be used as proof.)
photo-too-big = That file is too big (over 20 MB). Send a smaller one, or send it as a photo.
photo-download-failed = I couldn't fetch that photo. Please send it again in a moment.
photo-too-many-pixels = That picture has too many pixels to open. Please send it as a photo instead of a file.
photo-damaged = This photo file is cut off or damaged. Please send the original photo again from your phone.
photo-not-an-image = I can't open this file as a photo. Please send a JPG, PNG, WebP or HEIC photo.

note-invalid = Please keep the note to one line of up to { $limit } characters.
note-saved = Note saved. Thank you! 😊
note-skipped = Okay. See you tomorrow! 👋

me-not-participant =
    { $status ->
        [pending] Your application is in and a leader is reviewing it. You can certify once it's approved.
        [applying] You're filling in your application. Please answer the latest question.
        [rejected] Your application was not approved. You can apply again from /start.
       *[other] You're not a participant yet. Apply from /start.
    }
me-title = 👤 <b>{ $name }</b>

## Everything else

not-understood = I'm not sure what you mean. 🤔 Certify with /certify, see your record with /me, get help with /help.
cancel-done = Stopped. You can start over now.
cancel-nothing = There's nothing in progress to stop.
unknown-command = I don't know that command. See /help for the ones I do.

error-apology = Oops, something went wrong on my side. 😥 Please try again in a moment; nothing you sent was lost.
error-store-busy = I'm a bit busy right now and couldn't handle that. Please send it again in a moment.
error-leader-report = ⚠️ The bot hit an error it hadn't seen before: { $error }. It keeps running. Please pass this on to the developer.

## Command menu

command-start = Welcome screen
command-certify = Certify a mission
command-me = My certifications
command-cancel = Stop what I'm doing
command-lang = Change language
command-help = Help

# The bot's profile: "What can this bot do?" before the first /start (up to 512 characters),
# and the short about text on its profile and in shared links (up to 120).
bot-description =
    👮 { $campaign } · { $station }
    Join small safety missions in your neighbourhood. Do a mission, send a start photo and an end photo, and it is certified. Certifications also earn 1365 volunteer hours.
    Press Start below to apply.
    Patrols are for noticing only. In an emergency, call 112 right away.
bot-short-description = The { $campaign } campaign of { $station }: do a safety mission, certify it with two photos.

command-pending = (Leaders) pending applications

## Fair certification (photo checks)

fair-forwarded = Forwarded photos can't be used. Please send a photo you took yourself.
fair-same-file-own = You already used this photo on { $day }. Please send a photo you take today.
fair-same-file-other = This photo was already used for a certification. Please send a photo you take yourself.
fair-same-as-start = That's the same photo as your start photo. After your activity, take a new end photo.
fair-reused-own = This looks like the photo you used on { $day }. Please send a photo you take today.
fair-reused-other = This looks like a photo already used for a certification. Please send a photo you take yourself.
fair-not-today = This photo was taken on { $day }. Only photos you take today can be used.
cert-send-again-start = 📸 Please send your start photo again.
cert-send-again-end = 📸 Please send your end photo again.

## Leader review: the feed, revoking and restoring, the audit trail

command-audit = (Leaders) refusals and revocations
button-revoke = 🚫 Revoke
button-restore = ↩️ Restore
button-keep-certification = Don't revoke
review-card =
    📸 <b>{ $name }</b> · { $mission }
    { $day } { $start } → { $end }{ $has_note ->
        [yes] {""}
        💬 { $note }
       *[other] {""}
    }
review-revoked-line = 🚫 Revoked by { $leader } ({ $when }) — reason: { $reason }
review-restored-line = ↩️ Restored by { $leader } ({ $when })
# The group's copy of the feed post: only that it was withdrawn, never the reason or who decided.
review-revoked-public = 🚫 This certification was withdrawn.
review-restored-public = ↩️ This certification counts again.
# To the other leaders in private, when the feed is in the group (which never shows the reason).
review-leaders-revoked =
    🚫 { $leader } revoked { $name }'s certification of '{ $mission }' on { $day }.
    Reason: { $reason }
# Written on the feed picture, above each photo.
feed-picture-start = Start
feed-picture-end = End
review-ask-reason = Revoking { $name }'s certification. Type the reason the participant will read, in one line.
review-kept = The certification stays as it is.
review-revoke-done = Revoked, and the participant was told why. Their counts and hours were recalculated.
review-unknown = I can't find this certification.
review-already-revoked = This certification is already revoked.
review-not-revoked = This certification is not revoked.
review-told-revoked =
    Your certification of '{ $mission }' on { $day } was revoked after a leader's review.
    Reason: { $reason }
    If you have questions, ask a leader.
review-told-restored = Your certification of '{ $mission }' on { $day } counts again. 🙌
audit-title = 🔎 <b>Latest records</b>
audit-refusals-title = <b>Photos refused by the checks</b>
audit-reviews-title = <b>Leaders' revocations and restorations</b>
audit-none = (none)
audit-refusal-line = • { $when } { $name } — { $check }
audit-review-line = • { $when } { $name } — { $action ->
        [revoked] revoked
       *[other] restored
    } ({ $leader }){ $action ->
        [revoked] : { $reason }
       *[other] {""}
    }
audit-check-forwarded = forwarded photo
audit-check-same-file = photo file used before
audit-check-reused-picture = re-used picture
audit-check-not-today = not taken today
audit-check-other = other

## Reminders, settings, rewards

reminder =
    { $name }, you haven't certified today's mission yet! 🌙
    { $streak ->
        [0] Certify today to start a new streak. 💪
       *[other] 🔥 You're on a { $streak }-day streak. Keep it going today?
    }
    Safety first. In an emergency, call 112!
command-settings = Reminder settings
settings-current =
    ⏰ <b>Daily reminder</b>: { $on ->
        [yes] at { $time } (only if you haven't certified that day).
       *[other] off.
    }
    Change the time or turn it off below. (No reminders between { $quiet_start } and { $quiet_end }.)
settings-saved = Saved!
settings-not-participant = Reminder settings are for approved participants.
button-reminder-off = Turn reminders off
button-reminder-default = Default time ({ $time })
milestone-congrats =
    🎉 { $name }, { $count } certifications! You've earned '{ $reward }'.
    A leader will tell you how you'll receive it. Great work! 🙌
milestone-leader = 🏅 { $name } ({ $affiliation }, ID { $user_id }) reached { $count } certifications. Reward to hand out: { $reward }
milestone-flag-leader = ⚠️ A revocation brought { $name } down to { $total } certifications, below '{ $reward }' ({ $count }) already announced. Please check before handing it out.
badge-headline = Congratulations!
badge-name = { "{" }name{ "}" }
badge-achievement = { "{" }count{ "}" } certifications
theme-announcement =
    📣 <b>A new theme mission starts today!</b>
    <b>{ $title }</b>
    { $description }

    It runs { $days } days, until { $end }. Certify it alongside the standing mission to reach your rewards sooner! 🎁

## Bad input: stale buttons, edited messages
idea-gone = That idea is no longer there. Please pick again from /ideas.
button-stale = This button no longer works. Please use the buttons on the latest message.
edited-not-used = ✏️ Edits to a message you already sent aren't used. To change your answer, send it again as a new message.
broadcast-too-long = A broadcast can be at most { $limit } characters. Please send a shorter version. (/cancel to stop)
