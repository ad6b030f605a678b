## 테마 미션 만들기 (리더) · 아이디어 (참여자)

command-theme = (리더) 테마 미션 만들기
command-ideas = (리더) 테마 아이디어 보기
command-idea = 테마 미션 아이디어 내기
theme-ask-title = 새 테마 미션을 만들어요. <b>제목</b>을 한 줄로 적어 주세요. (그만두려면 /cancel)
theme-ask-description = '{ $title }' 미션에서 참여자가 무엇을 하면 되는지 <b>설명</b>을 적어 주세요.
theme-ask-start = <b>시작 날짜</b>를 적어 주세요. (예: 2027-08-23 또는 8/23)
theme-ask-days = 며칠 동안 할까요? 숫자로 적거나 아래 버튼을 눌러 주세요. (기본 7일)
theme-preview =
    📋 <b>미리 보기</b>
    <b>{ $title }</b>
    { $description }

    { $start } ~ { $end } ({ $days }일)
    이대로 만들까요?
button-theme-confirm = ✅ 만들기
button-theme-cancel = 그만두기
theme-created = 테마 미션 '{ $title }'{ PARTICLE($title, "을") } 만들었어요. { $start } { $time }에 참여자 모두에게 알려요.
theme-cancelled = 테마 미션 만들기를 그만뒀어요.
theme-no-draft = 만들고 있는 테마 미션이 없어요. /theme 로 시작해 주세요.
theme-press-button = 아래 버튼으로 만들기 또는 그만두기를 골라 주세요.
theme-invalid-date = 날짜를 알아볼 수 없어요. 2027-08-23 또는 8/23처럼 적어 주세요.
theme-invalid-past = 지난 날짜예요. 오늘이나 그 뒤의 날짜를 적어 주세요.
theme-invalid-no-round = 그날은 인증 기간(차수) 밖이에요. 차수 안의 날짜를 적어 주세요.
theme-invalid-days = 1~{ $limit }일 사이의 숫자로 적어 주세요.
idea-ask = 어떤 테마 미션이 있으면 좋을까요? 아이디어를 적어 주세요! 💡
idea-saved = 아이디어 고마워요! 리더에게 전달했어요. 🙌
idea-not-participant = 아이디어는 승인된 참여자만 낼 수 있어요.
ideas-none = 아직 받은 아이디어가 없어요.
idea-card =
    💡 <b>{ $name }</b>: { $text }{ $used ->
        [yes] {" "}(테마 미션으로 만들었어요)
       *[other] {""}
    }
button-idea-use = 이 아이디어로 테마 미션 만들기
