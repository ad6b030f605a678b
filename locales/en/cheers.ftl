## Cheering in the community feed, the evening digest and the weekly top list

cheers-button = { $count ->
        [0] 👏
       *[other] 👏 { $count }
    }
cheers-thanks = 👏 Cheer sent! Thank you for encouraging your neighbour.
cheers-already = You have already cheered this one 👏
cheers-own = This is your own certification, thank you for it! 😊 Cheers are for your neighbours' posts.
cheers-unknown = This post cannot be cheered.
cheers-not-in-group = Cheers are sent with the 👏 button on a post in the campaign group.
cheers-participants-only = Only the campaign's participants and the group's members can cheer. To join, open the bot and send /start!
cheers-digest =
    👏 { $name }, your neighbours cheered you { $count ->
        [one] once
       *[other] { $count } times
    } today ({ $posts ->
        [one] on one certification
       *[other] on { $posts } certifications
    }).
    Thank you for keeping our neighbourhood safe!
cheers-top-title = 🏆 <b>This week's top { $count }</b> ({ $first } – { $last })
cheers-top-line = { $rank }. { $name } · { $certifications } certifications · { $streak }-day streak
cheers-top-footer = Great work, everyone! See you on next week's missions 👏
