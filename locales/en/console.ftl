## Leaders' console: stats, ranking, leaders

command-stats = (Leaders) stats and chart
command-top = (Leaders) top participants
command-leaders = (Leaders) who the leaders are
stats-no-round = No round is set up yet.
stats-title = 📊 <b>{ $round } stats</b> (as of { $day })
stats-participants = 👥 { $approved } participants ({ $active } reachable, { $inactive } blocked the bot) · { $pending } awaiting approval · { $applying } applying · { $rejected } rejected
stats-categories = 🎒 middle school { $middle } · high school { $high } · university { $university } · adults { $adult }
stats-certifications = ✅ today { $today } · this round { $round_total } · participants who certified at least once { $certified_once }
stats-reward-line = 🎁 { $reward } ({ $count }): { $reached } reached
stats-chart-title = { $round }: certifications per day
stats-chart-axis = certifications
top-title = 🏆 <b>{ $round } top { $count }</b> (certifications, ties by longest streak)
top-line = { $rank }. { $name } — { $certifications } ({ $streak }-day longest streak)
top-empty = No certifications in { $round } yet.
top-unknown-round = No such round. Rounds: { $rounds }
leaders-title = 👮 <b>Leaders</b> (the LEADER_IDS setting)
leaders-line = • { $name } (ID { $user_id })
