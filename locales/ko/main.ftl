## 우리동네 치안협력관 봇 — 한국어 (기본 언어)
## 사용자가 입력한 값은 봇이 HTML 이스케이프해서 넣습니다. 여기의 <b>, <i>는 서식입니다.

## 시작 · 도움말 · 언어

welcome =
    안녕하세요, { $name }님! 👋
    <b>{ $campaign }</b>에 오신 걸 환영해요.

    { JOSA($station, "과") } 함께하는 비대면 범죄예방 프로젝트예요. 매일 동네에서 작은 안전 미션을 하고, 시작·종료 사진 2장으로 인증하면 돼요. 인증 1회당 1365 봉사시간 { $minutes }분이 인정되고, 인증 횟수에 따라 단계별 포상도 있어요! 🎁

    ⚠️ <b>안전이 먼저예요.</b> 순찰은 '살펴보기'만 해 주세요. 수상한 사람에게 다가가거나 맞서지 마세요. 위급할 땐 바로 <b>112</b>에 신고하세요.

    { $status ->
        [approved] 오늘의 미션, 인증하러 가 볼까요?
        [pending] 참여 신청이 접수돼서 리더가 확인하고 있어요. 조금만 기다려 주세요!
       *[other] 아래 버튼을 눌러 참여 신청을 해 주세요.
    }

help =
    <b>이렇게 쓰면 돼요</b>
    /certify — 미션 인증하기 (시작 사진 → 종료 사진)
    /me — 내 인증 횟수와 봉사시간 보기
    /settings — 매일 알림 시간 바꾸기
    /idea — 테마 미션 아이디어 내기
    /report — 동네의 불안한 곳(고장 난 보안등, 어두운 골목 등) 제보하기
    /mydata — 내 개인정보 받기 · /delete — 내 개인정보 삭제
    /cancel — 하던 걸 멈추고 처음으로
    /lang — 언어 바꾸기 (한국어/English)
    /start — 처음 화면

    위급할 땐 바로 112에 신고하세요.

help-leader =
    <b>이렇게 쓰면 돼요</b>
    /certify — 미션 인증하기 (시작 사진 → 종료 사진)
    /me — 내 인증 횟수와 봉사시간 보기
    /settings — 매일 알림 시간 바꾸기
    /idea — 테마 미션 아이디어 내기
    /report — 동네의 불안한 곳(고장 난 보안등, 어두운 골목 등) 제보하기
    /mydata — 내 개인정보 받기 · /delete — 내 개인정보 삭제
    /cancel — 하던 걸 멈추고 처음으로
    /lang — 언어 바꾸기 (한국어/English)

    <b>리더 전용</b>
    /pending — 승인을 기다리는 참여 신청 보기
    /audit — 사진 확인에서 거절된 것과 인증 취소 기록
    /theme — 테마 미션 만들기 · /ideas — 참여자 아이디어 보기
    /stats · /top · /leaders · /broadcast — 통계, 순위, 리더 목록, 전체 공지
    /export hours · /export reports · /backup — 봉사시간·제보 내보내기, DB 백업

lang-choose = 사용할 언어를 골라 주세요.
lang-set = 이제 한국어로 안내할게요.
language-name-ko = 한국어
language-name-en = English

## 버튼

button-apply = 📝 참여 신청하기
button-certify = 📸 미션 인증하기
button-yes = 네
button-no = 아니요
button-guardian-yes = 보호자 동의를 받았어요
button-guardian-not-yet = 아직 못 받았어요
button-no-volunteer-id = 아직 1365 아이디가 없어요
button-consent-yes = ✅ 동의해요
button-consent-no = 동의하지 않아요
button-approve = ✅ 승인
button-reject = ❌ 거절
button-reject-without-reason = 사유 없이 거절
button-keep-pending = 거절 취소 (대기로 두기)
button-cancel-certification = 인증 그만두기
button-skip-note = 건너뛰기

category-middle = 중학생
category-high = 고등학생
category-university = 대학생
category-adult = 일반

## 참여 신청

signup-intro = 참여 신청을 시작할게요! 질문 몇 개에 답해 주세요. 언제든 /cancel 로 그만둘 수 있어요.
signup-ask-name = 이름(실명)을 알려 주세요. 1365 봉사시간 등록에 쓰여요.
signup-ask-category = 어디에 해당하나요?
signup-ask-under-14 = 만 14세 미만인가요? (생일이 지나지 않았다면 만 나이로 생각해 주세요)
signup-ask-guardian =
    만 14세 미만은 개인정보 수집에 <b>법정대리인(부모님 등 보호자)의 동의</b>가 꼭 필요해요.
    보호자께 이 프로젝트에 대해 말씀드리고 동의를 받았나요?
signup-ask-affiliation =
    { $category ->
        [middle] 다니는 학교 이름을 알려 주세요. (예: ○○중학교)
        [high] 다니는 학교 이름을 알려 주세요. (예: ○○고등학교)
        [university] 다니는 학교 이름을 알려 주세요. (예: ○○대학교)
       *[other] 직장이나 소속을 알려 주세요. 없으면 '없음'이라고 적어 주세요.
    }
signup-ask-neighbourhood = 어느 동네에 사나요? 동(읍·면)까지만 알려 주면 돼요. (예: ○○동, ○○읍)
signup-ask-volunteer-id = 1365 자원봉사포털 아이디를 알려 주세요. 봉사시간을 이 아이디로 등록해요. 아직 없다면 아래 버튼을 눌러 주세요.
signup-consent =
    <b>개인정보 수집·이용 동의</b>

    • 수집하는 곳: { $station }
    • 수집 항목: 이름, 구분(중·고등학생/대학생/일반), 학교·소속, 사는 동, 1365 아이디, 텔레그램 이름
    • 이용 목적: 참여자 확인과 승인, 1365 봉사시간 등록(지역 자원봉사센터), 단계별 포상 전달
    • 보관 기간: 내가 참여한 마지막 인증 기간이 끝나고 { $retention_days }일이 지나면 지워요. 그 전에도 /delete 로 언제든 지울 수 있어요.
    • 동의하지 않을 수 있어요. 다만 동의하지 않으면 참여 신청이 접수되지 않아요.

    위 내용에 동의하나요?
signup-submitted = 신청이 접수됐어요! 🙌 리더(경찰관)가 확인하고 승인하면 바로 알려 드릴게요.
signup-withdrawn = 신청을 멈췄어요. 준비되면 언제든 /start 에서 다시 신청할 수 있어요.
signup-already-approved = 이미 참여자로 승인됐어요! /certify 로 오늘의 미션을 인증해 보세요.
signup-already-pending = 신청이 이미 접수돼서 리더가 확인하고 있어요. 조금만 기다려 주세요!
signup-not-applying = 지금 진행 중인 신청이 없어요. 아래 버튼으로 새로 신청할 수 있어요.
signup-stale-button = 이미 지나간 질문이에요. 마지막 질문에 답해 주세요.

signup-invalid-empty = 빈칸으로는 넘어갈 수 없어요. 다시 입력해 주세요.
signup-invalid-command = 지금은 답을 입력할 차례예요. (그만두려면 /cancel)
signup-invalid-one-line = 한 줄로만 적어 주세요.
signup-invalid-volunteer-id = 1365 아이디는 영문·숫자로 3~30자예요. 다시 확인해 주세요.
signup-invalid-too-long = 조금 길어요. { $limit }자 이내로 적어 주세요.
signup-invalid-name = 이름에는 글자가 들어가야 해요. 다시 적어 주세요.
signup-invalid-press-button = 이 질문은 아래 버튼으로 답해 주세요.
signup-invalid-not-text = 이 질문에는 글자로 답해 주세요.

## 리더: 신청 카드와 승인

application-card =
    📝 <b>참여 신청</b>
    이름: { $name }
    구분: { $category ->
        [middle] 중학생
        [high] 고등학생
        [university] 대학생
        [adult] 일반
       *[other] —
    }{ $under14 ->
        [yes] {" "}(만 14세 미만, 보호자 동의 { $guardian ->
            [yes] 받음
           *[other] 안 받음
        })
       *[other] {""}
    }
    학교·소속: { $affiliation }
    사는 동: { $neighbourhood }
    1365 아이디: { $has_volunteer_id ->
        [yes] { $volunteer_id }
       *[other] 없음
    }
    텔레그램: { $telegram_name } { $username } (ID { $user_id })
    신청: { $applied }{ $submitted ->
        [yes] {""}
       *[other] {" "}(가입 요청만 있고 신청서는 아직 없음)
    }
application-decided =
    { $decision ->
        [approved] ✅ { $leader } 님이 승인했어요 ({ $when })
        [rejected] ❌ { $leader } 님이 거절했어요 ({ $when })
       *[other] 결정을 기다리고 있어요
    }
application-decided-reason = 사유: { $reason }
application-unknown = 이 신청을 찾을 수 없어요. 이미 취소됐거나 잘못된 버튼이에요.
application-already-decided = 이미 결정된 신청이에요. { $line }
leaders-only = 리더(경찰관)만 할 수 있어요.
reject-ask-reason = { $name } 님의 신청을 거절할게요. 신청자에게 전할 사유를 한 줄로 적어 주세요. 사유 없이 거절하려면 아래 버튼을 눌러 주세요.
reject-kept = 거절하지 않았어요. 신청은 그대로 대기 중이에요.
reject-reason-invalid = 사유는 한 줄, { $limit }자 이내의 글로 적어 주세요.
reject-done = { $name } 님의 신청을 거절하고 알렸어요.

decision-approved =
    🎉 { $name }님, 참여가 승인됐어요! 이제 우리동네 치안협력관이에요.
    /certify 로 오늘의 미션을 인증해 보세요. 인증할 때는 활동 <b>시작 사진</b>과 <b>종료 사진</b>을 보내면 돼요.{ $link ->
        [yes] {""}

        👉 참여자 단체방 입장 링크(한 번만 쓸 수 있어요): { $invite_link }
       *[other] {""}
    }{ $joined ->
        [yes] {""}

        단체방 가입 요청도 승인했어요.
       *[other] {""}
    }
decision-rejected =
    { $name }님, 아쉽지만 이번 참여 신청은 승인되지 않았어요.{ $has_reason ->
        [yes] {""}
        사유: { $reason }
       *[other] {""}
    }
    궁금한 점은 리더에게 물어봐 주세요. 내용을 고쳐 /start 에서 다시 신청할 수도 있어요.

pending-page =
    승인을 기다리는 신청이 { $count }건 있어요. ({ $page }/{ $pages }쪽)
    이름을 누르면 신청서 카드가 열려요.
pending-line = { $number }. <b>{ $name }</b> · { $affiliation }
pending-decided = 이미 결정됐거나 없는 신청이에요.
button-pending-open = { $number }. { $name }
button-pending-previous = ◀ 이전
button-pending-next = 다음 ▶
button-pending-console = 🗂 콘솔에서 모두 보기
pending-none = 승인을 기다리는 신청이 없어요. 👍

join-request-apply =
    <b>{ $campaign }</b> 단체방 가입 요청을 받았어요! 👋
    참여하려면 먼저 여기서 참여 신청서를 작성해 주세요. 리더가 승인하면 단체방에도 들어갈 수 있어요.
join-request-waiting =
    단체방 가입 요청을 받았어요! 👋
    참여 신청서는 리더가 확인하고 있어요. 승인되면 단체방 가입 요청도 함께 승인돼요.
join-digest =
    🚪 <b>{ $day } 신청서 없는 단체방 가입 요청</b>
    { $joins }명{ $capped ->
        [yes] {" "}이상
       *[other] {""}
    }이 신청서 없이 가입을 요청했어요. 봇이 각자에게 신청서를 안내했고, 신청서가 승인돼야 단체방에 들어올 수 있어요.
    { $names }{ $capped ->
        [yes] {""}

        ⚠️ 오늘 { $cap }명 한도에 이르러 이후 요청은 이 카드에 더 올리지 않아요. 요청은 신청서가 오기 전까지 그대로 기다려요.
       *[other] {""}
    }{ $overflow ->
        [0] {""}
       *[other] {""}

        📝 오늘 신청서 카드 { $card_cap }건 한도를 넘어 { $overflow }건이 더 기다려요: /pending
    }{ $declined ->
        [0] {""}
       *[other] {""}

        🚫 가입 요청 { $declined }건을 거절했어요.
    }
button-decline-waiting-joins = 🚫 신청서 없는 가입 요청 모두 거절
join-decline-done = 신청서 없는 단체방 가입 요청 { $count }건을 거절했어요.
application-no-consent = 이 사람은 아직 신청서와 개인정보 동의를 제출하지 않아 승인할 수 없어요. 신청서가 오면 카드로 알려 드릴게요.

## 인증

progress =
    📊 <b>나의 인증</b>
    오늘 { $today }회 · { $round ->
        [none] 지금은 인증 기간이 아님
       *[other] { $round } { $round_count }회
    } · 누적 { $total }회
    ⏱ 봉사시간 { $hours }시간{ $minutes ->
        [0] {""}
       *[other] {" "}{ $minutes }분
    } (1365 등록 { $portal_hours }시간{ $carried ->
        [0] {""}
       *[other] , 다음 등록까지 { $carried }분 적립
    })
    { $has_reward ->
        [yes] 🎁 다음 포상 '{ $reward }'까지 { $remaining }회 남았어요!
       *[other] 🏆 모든 단계의 포상을 달성했어요!
    }

cert-earlier-start-expired = ⏰ { $day }에 시작한 인증은 종료 사진이 없어서 그날 자정에 마감됐어요.
cert-not-participant = 인증은 승인된 참여자만 할 수 있어요. 먼저 참여 신청을 해 주세요!
cert-no-round =
    지금은 인증 기간이 아니에요.{ $has_next ->
        [yes] {" "}{ $next_round } 인증은 { $next_start }부터 시작해요. 그때 만나요!
       *[other] {""}
    }
cert-daily-limit = 오늘은 이 미션을 이미 { $limit }번 인증했어요. 내일 또 만나요! 🌙
cert-choose-mission = 오늘 인증할 미션을 골라 주세요.
cert-send-start =
    📸 <b>{ $mission }</b>
    { $description }

    활동을 시작하면서 <b>시작 사진</b>을 찍어 보내 주세요. (사진 그대로 보내도 되고, 파일로 보내도 돼요)
cert-send-end = 📸 <b>{ $mission }</b> 활동이 끝났나요? <b>종료 사진</b>을 찍어 보내 주세요.
cert-start-recorded =
    시작 사진 받았어요! 👍 안전하게 활동하고, 끝나면 <b>종료 사진</b>을 보내 주세요.
    • 시작하고 { $minutes }분이 지나야 종료 사진을 받을 수 있어요.
    • 오늘 자정까지 보내야 인증돼요.
cert-too-soon = 시작한 지 얼마 안 됐어요. { $minutes }분 뒤에 종료 사진을 보내 주세요.
cert-end-before-start = 이 사진은 시작 사진보다 먼저 보낸 것으로 나와요. 활동을 마친 뒤 새로 찍어 보내 주세요.
cert-start-expired = ⏰ { $day }에 시작한 인증은 자정이 지나 마감됐어요. 오늘 다시 시작해 주세요!
cert-accepted = ✅ <b>인증 완료!</b> '{ $mission }' 오늘도 동네를 지켜 줘서 고마워요. 🙌
cert-ask-note = 한 줄 소감이나 발견한 점(고장 난 보안등 등)이 있으면 적어 주세요. 없으면 건너뛰어도 돼요.
cert-nothing-open = 지금 진행 중인 인증이 없어요. 아래 버튼으로 시작해 보세요!
cert-unknown-mission = 오늘은 그 미션을 인증할 수 없어요. 다시 골라 주세요.
cert-cancelled = 진행 중이던 인증을 그만뒀어요. 언제든 다시 시작할 수 있어요.

photo-expected = 사진을 보내 주세요! 📷 (스티커·음성·글은 인증 사진으로 받을 수 없어요)
photo-too-big = 사진 파일이 너무 커요(20MB 초과). 조금 작게 보내거나 '사진'으로 보내 주세요.
photo-download-failed = 사진을 받아 오지 못했어요. 잠시 뒤 다시 보내 주세요.
photo-too-many-pixels = 사진 크기(화소)가 너무 커서 열 수 없어요. 파일 말고 '사진'으로 보내 주세요.
photo-damaged = 사진 파일이 중간에 끊겼거나 손상되어 있어요. 휴대폰에서 원본 사진을 다시 보내 주세요.
photo-not-an-image = 이 파일은 사진으로 열 수 없어요. JPG·PNG·WebP·HEIC 사진을 보내 주세요.

note-invalid = 소감은 한 줄, { $limit }자 이내로 적어 주세요.
note-saved = 소감을 저장했어요. 고마워요! 😊
note-skipped = 알겠어요. 내일도 함께해요! 👋

me-not-participant =
    { $status ->
        [pending] 신청이 접수돼서 리더가 확인하고 있어요. 승인되면 인증을 시작할 수 있어요.
        [applying] 참여 신청을 작성하는 중이에요. 마지막 질문에 답해 주세요.
        [rejected] 참여 신청이 승인되지 않았어요. /start 에서 다시 신청할 수 있어요.
       *[other] 아직 참여자가 아니에요. /start 에서 참여 신청을 해 주세요.
    }
me-title = 👤 <b>{ $name }</b>님

## 그 밖의 안내

not-understood = 무슨 뜻인지 잘 모르겠어요. 🤔 미션 인증은 /certify, 내 기록은 /me, 도움말은 /help 예요.
cancel-done = 멈췄어요. 처음부터 다시 시작할 수 있어요.
cancel-nothing = 그만둘 진행 중인 작업이 없어요.
unknown-command = 모르는 명령이에요. /help 에서 쓸 수 있는 명령을 확인해 주세요.

error-apology = 앗, 처리하다 문제가 생겼어요. 😥 잠시 뒤 다시 해 주세요. 보낸 내용이 지워지진 않았어요.
error-store-busy = 지금 요청이 몰려서 잠깐 처리하지 못했어요. 잠시 뒤 다시 보내 주세요.
error-leader-report = ⚠️ 봇에서 처음 보는 오류가 났어요: { $error }. 봇은 계속 동작 중이에요. 개발 담당자에게 전달해 주세요.

## 명령 메뉴

command-start = 처음 화면
command-certify = 미션 인증하기
command-me = 내 인증 기록
command-cancel = 하던 것 그만두기
command-lang = 언어 바꾸기
command-help = 도움말

# The bot's profile: "What can this bot do?" before the first /start (up to 512 characters),
# and the short about text on its profile and in shared links (up to 120).
bot-description =
    👮 { $campaign } · { $station }
    우리 동네를 살피는 작은 안전 미션에 함께해요. 미션을 하고 활동 시작 사진과 종료 사진을 보내면 인증돼요. 인증이 쌓이면 1365 봉사시간도 받을 수 있어요.
    아래 '시작'을 눌러 참여를 신청하세요.
    순찰은 살펴보기만 해요. 위급한 일은 바로 112에 신고하세요.
bot-short-description = { $station } { $campaign } 캠페인 봇이에요. 안전 미션을 하고 사진 두 장으로 인증해요.

command-pending = (리더) 대기 중인 신청

## 공정한 인증 (사진 확인)

fair-forwarded = 전달(포워드)된 사진은 인증에 쓸 수 없어요. 직접 찍은 사진을 보내 주세요.
fair-same-file-own = 이 사진은 { $day }에 이미 인증에 쓴 사진이에요. 오늘 새로 찍은 사진을 보내 주세요.
fair-same-file-other = 이미 인증에 사용된 사진이에요. 직접 새로 찍은 사진을 보내 주세요.
fair-same-as-start = 시작 사진과 같은 사진이에요. 활동을 마친 뒤 종료 사진을 새로 찍어 보내 주세요.
fair-reused-own = { $day }에 인증에 쓴 사진과 같은 사진으로 보여요. 오늘 새로 찍은 사진을 보내 주세요.
fair-reused-other = 이미 인증에 사용된 사진과 같은 사진으로 보여요. 직접 새로 찍은 사진을 보내 주세요.
fair-not-today = 이 사진은 { $day }에 찍은 것으로 나와요. 인증은 오늘 직접 찍은 사진으로만 할 수 있어요.
cert-send-again-start = 📸 시작 사진을 다시 보내 주세요.
cert-send-again-end = 📸 종료 사진을 다시 보내 주세요.

## 리더 검토: 인증 피드, 인증 취소·복구, 감사 기록

command-audit = (리더) 거절·취소 기록
button-revoke = 🚫 인증 취소
button-restore = ↩️ 인증 복구
button-keep-certification = 취소하지 않기
review-card =
    📸 <b>{ $name }</b> · { $mission }
    { $day } { $start } → { $end }{ $has_note ->
        [yes] {""}
        💬 { $note }
       *[other] {""}
    }
review-revoked-line = 🚫 { $leader } 님이 인증을 취소했어요 ({ $when }) — 사유: { $reason }
review-restored-line = ↩️ { $leader } 님이 인증을 복구했어요 ({ $when })
# The group's copy of the feed post: only that it was withdrawn, never the reason or who decided.
review-revoked-public = 🚫 이 인증은 취소됐어요.
review-restored-public = ↩️ 이 인증은 다시 인정됐어요.
# To the other leaders in private, when the feed is in the group (which never shows the reason).
review-leaders-revoked =
    🚫 { $leader } 님이 { $name } 님의 { $day } '{ $mission }' 인증을 취소했어요.
    사유: { $reason }
# Written on the feed picture, above each photo.
feed-picture-start = 시작
feed-picture-end = 종료
review-ask-reason = { $name } 님의 인증을 취소할게요. 참여자에게 전할 사유를 한 줄로 적어 주세요.
review-kept = 인증을 그대로 두었어요.
review-revoke-done = 인증을 취소하고 참여자에게 사유를 알렸어요. 인증 횟수와 봉사시간도 다시 계산했어요.
review-unknown = 이 인증을 찾을 수 없어요.
review-already-revoked = 이미 취소된 인증이에요.
review-not-revoked = 취소된 인증이 아니에요.
review-told-revoked =
    { $day } '{ $mission }' 인증이 리더 확인 후 취소됐어요.
    사유: { $reason }
    궁금한 점은 리더에게 물어봐 주세요.
review-told-restored = { $day } '{ $mission }' 인증이 다시 인정됐어요. 🙌
audit-title = 🔎 <b>최근 기록</b>
audit-refusals-title = <b>사진 확인에서 거절된 것</b>
audit-reviews-title = <b>리더의 인증 취소·복구</b>
audit-none = (없음)
audit-refusal-line = • { $when } { $name } — { $check }
audit-review-line = • { $when } { $name } — { $action ->
        [revoked] 취소
       *[other] 복구
    } ({ $leader }){ $action ->
        [revoked] : { $reason }
       *[other] {""}
    }
audit-check-forwarded = 전달(포워드)된 사진
audit-check-same-file = 이미 쓴 사진 파일
audit-check-reused-picture = 재사용된 사진
audit-check-not-today = 오늘 찍은 사진이 아님
audit-check-other = 기타

## 알림 · 설정 · 포상

reminder =
    { $name }님, 오늘의 미션 인증 아직이에요! 🌙
    { $streak ->
        [0] 오늘 인증하면 새로운 연속 기록이 시작돼요. 💪
       *[other] 🔥 { $streak }일 연속 인증 중이에요. 오늘도 이어 가 볼까요?
    }
    안전이 먼저예요. 위급할 땐 112!
command-settings = 알림 시간 설정
settings-current =
    ⏰ <b>매일 알림</b>: { $on ->
        [yes] { $time }에 알려 드려요 (오늘 인증하지 않았을 때만).
       *[other] 꺼져 있어요.
    }
    아래에서 시간을 바꾸거나 알림을 끌 수 있어요. (밤 { $quiet_start }~아침 { $quiet_end }에는 알림을 보내지 않아요)
settings-saved = 저장했어요!
settings-not-participant = 알림 설정은 승인된 참여자만 할 수 있어요.
button-reminder-off = 알림 끄기
button-reminder-default = 기본 시간 ({ $time })
milestone-congrats =
    🎉 { $name }님, 인증 { $count }회 달성! 포상으로 '{ $reward }'{ PARTICLE($reward, "을") } 받을 수 있어요.
    리더가 전달 방법을 알려 드릴 거예요. 정말 수고 많았어요! 🙌
milestone-leader = 🏅 { $name } ({ $affiliation }, ID { $user_id }) 님이 인증 { $count }회를 달성했어요. 전달할 포상: { $reward }
milestone-flag-leader = ⚠️ { $name } 님의 인증이 취소되어 누적 { $total }회가 됐어요. 이미 알린 '{ $reward }'({ $count }회) 기준보다 낮아요. 포상 전달 전에 확인해 주세요.
badge-headline = 축하해요!
badge-name = { "{" }name{ "}" } 님
badge-achievement = 인증 { "{" }count{ "}" }회 달성
theme-announcement =
    📣 <b>새 테마 미션이 시작됐어요!</b>
    <b>{ $title }</b>
    { $description }

    오늘부터 { $days }일 동안, { $end }까지예요. 매일 하는 상시 미션과 함께 인증하면 다음 포상에 더 빨리 닿아요! 🎁

## Bad input: stale buttons, edited messages
idea-gone = 그 아이디어는 더 이상 없어요. /ideas 에서 다시 골라 주세요.
button-stale = 이 버튼은 더 이상 쓸 수 없어요. 최근 메시지의 버튼을 눌러 주세요.
edited-not-used = ✏️ 수정한 메시지는 반영되지 않아요. 바꾸고 싶으면 새 메시지로 다시 보내 주세요.
broadcast-too-long = 전체 안내는 { $limit }자까지 보낼 수 있어요. 조금 줄여서 다시 보내 주세요. (그만두려면 /cancel)
