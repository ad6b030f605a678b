## 1365 봉사시간 내보내기 (/export hours)

export-usage =
    사용법: <code>/export hours [차수]</code>
    차수를 빼면 지금 차수(또는 가장 최근에 끝난 차수)를 내보내요. 엑셀(.xlsx)과 CSV 파일을 보내 드려요.
export-private-only = 내보내기 파일에는 개인정보가 있어요. 봇과의 1:1 대화에서 /export 를 보내 주세요.
export-unknown-round = '{ $name }' 차수를 찾을 수 없어요. 있는 차수: { $rounds }
export-no-round = 아직 시작했거나 끝난 차수가 없어요. 있는 차수: { $rounds }
export-empty = { $round }에는 인정된 인증이 아직 없어요. 보낼 파일이 없어요.
export-file-name = 1365-봉사시간-{ $round }
export-caption = 📑 { $round } 1365 봉사시간 ({ $kind })
export-summary =
    📑 <b>{ $round } 1365 봉사시간</b>
    참여자 { $people }명 · 활동 { $rows }건 · 등록할 시간 합계 { $hours }시간
    인증 1회 = { $minutes_per }분, 정시간만 등록하고 남는 분은 다음 활동일로 적립해요. 취소된 인증은 빠져요.
export-summary-missing-id = ⚠️ 1365 ID가 없는 참여자 { $count }명은 '1365 ID 없음' 시트에 따로 모았어요. ID를 받아 주세요.
export-deadline-warning = ⏰ 활동일 { $count }일이 1365 등록 기한(활동 후 3개월)까지 { $margin }일 이내이거나 이미 지났어요. 가장 이른 날짜: { $first } (기한 { $limit })
export-sheet-hours = 봉사시간
export-sheet-totals = 참여자별 합계
export-sheet-missing-id = 1365 ID 없음
export-col-name = 이름
export-col-volunteer-id = 1365 ID
export-col-category = 구분
export-col-affiliation = 학교·소속
export-col-date = 활동일
export-col-certifications = 인증 횟수
export-col-minutes = 활동 시간(분)
export-col-hours = 등록 시간
export-col-carried = 적립(분)
export-col-carried-in = 이전 차수 적립(분)
export-col-to-upload = 1365 등록
export-to-upload-yes = 등록할 시간 있음
export-col-days = 활동 일수
export-col-telegram = 텔레그램

export-choose = 📑 무엇을 내보낼까요? 파일은 이 대화로 보내 드려요.
export-choose-round = 📑 어느 차수의 1365 봉사시간을 내보낼까요?
button-export-hours = ⏱ 1365 봉사시간 (엑셀·CSV)
button-export-reports = 📍 불안한 곳 제보 목록
button-export-round = { $round } ({ $start } ~ { $end })
