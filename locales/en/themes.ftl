## Making theme missions (leaders) and ideas (participants)

command-theme = (Leaders) create a theme mission
command-ideas = (Leaders) theme mission ideas
command-idea = Suggest a theme mission
theme-ask-title = Let's create a theme mission. Type its <b>title</b> in one line. (/cancel to stop)
theme-ask-description = Describe what participants do for '{ $title }'.
theme-ask-start = Type the <b>start date</b> (e.g. 2027-08-23 or 8/23).
theme-ask-days = How many days should it run? Type a number or press the button. (Default 7)
theme-preview =
    📋 <b>Preview</b>
    <b>{ $title }</b>
    { $description }

    { $start } – { $end } ({ $days } days)
    Create it like this?
button-theme-confirm = ✅ Create
button-theme-cancel = Stop
theme-created = Theme mission '{ $title }' created. Everyone will be told on { $start } at { $time }.
theme-cancelled = Stopped creating the theme mission.
theme-no-draft = No theme mission is being created. Start one with /theme.
theme-press-button = Please choose Create or Stop with the buttons below.
theme-invalid-date = I can't read that date. Write it like 2027-08-23 or 8/23.
theme-invalid-past = That date has passed. Please give today or a later date.
theme-invalid-no-round = That day is outside every round. Please pick a day inside a round.
theme-invalid-days = Please type a number from 1 to { $limit }.
idea-ask = What theme mission would you like? Type your idea! 💡
idea-saved = Thanks for the idea! The leaders will see it. 🙌
idea-not-participant = Ideas are for approved participants.
ideas-none = No ideas yet.
idea-card =
    💡 <b>{ $name }</b>: { $text }{ $used ->
        [yes] {" "}(made into a theme mission)
       *[other] {""}
    }
button-idea-use = Make this a theme mission
