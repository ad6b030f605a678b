## 불안한 곳 제보 (참여자) · 리더의 기관 연계·해결·반려
## 제보는 112 신고가 아니에요: 급한 일은 112로 안내해요.

command-report = 불안한 곳 제보하기
button-risk-report = 📍 불안한 곳 제보
risk-not-participant = 불안한 곳 제보는 승인된 참여자만 할 수 있어요.
risk-ask-category =
    동네에서 본 불안한 곳을 알려 주세요. 리더가 확인하고 고칠 수 있는 기관(시청 등)에 전달해요.
    지금 위험한 일이 벌어지고 있다면 여기 말고 바로 <b>112</b>에 전화하세요.

    어떤 곳인가요? 아래에서 골라 주세요. (/cancel 로 그만두기)
risk-category-light = 고장 난 보안등
risk-category-alley = 어두운 골목
risk-category-cctv = CCTV 사각지대
risk-category-vacant = 공폐가(빈집)
risk-category-dumping = 쓰레기 무단투기
risk-category-other = 기타
risk-ask-location =
    📍 위치를 알려 주세요.
    아래 <b>📍 지금 위치 보내기</b>를 누르면 한 번에 보내져요. 다른 곳이라면 주소나 장소를 글로 적어 주세요. (예: ○○동 ○○마트 뒤 골목 입구)
risk-ask-photo = 📷 현장 사진을 한 장 보내 주세요. 사진이 없으면 아래 버튼을 눌러 주세요.
button-risk-skip-photo = 사진 없이 계속
risk-ask-description = ✏️ 어떤 상황인지 짧게 적어 주세요.
risk-submitted = 제보를 받았어요. 고마워요! 🙏 리더가 확인하고 고칠 수 있는 기관에 전달하면 알려 드릴게요.
risk-press-category = 아래 버튼에서 종류를 골라 주세요.
risk-invalid-location = 위치를 보내거나 주소를 글로 적어 주세요.
risk-invalid-photo = 사진을 보내 주세요. 사진이 없으면 '사진 없이 계속'을 눌러 주세요.
risk-invalid-description = 상황을 글로 적어 주세요.
risk-no-draft = 작성 중인 제보가 없어요. /report 로 새로 시작해 주세요.
risk-place-coordinates = 위도 { $latitude }, 경도 { $longitude }
risk-card =
    📍 <b>불안한 곳 제보 #{ $id }</b> ({ $status })
    제보자: { $name }
    종류: { $category }
    위치: { $place }
    내용: { $description }
    알린 사람: { $count }명
button-risk-forward = 🏛 기관에 연계
button-risk-resolve = ✅ 해결됨
button-risk-reject = 반려
button-risk-keep = 그만두기
risk-ask-agency = 제보 #{ JOSA($id, "을") } 어느 기관에 연계할까요?
# Agencies come from the campaign file ([risks] agencies); these name the codes reports
# forwarded by older versions recorded.
risk-agency-cityhall = 시청 시설관리팀
risk-agency-district = 구청·행정복지센터
risk-agency-patrol = 지구대·파출소 순찰팀
risk-agencies-changed = 기관 목록이 바뀌었어요. '🏛 기관에 연계'를 다시 눌러 주세요.
risk-forwarded-done = 제보 #{ JOSA($id, "을") } { $agency }에 연계했다고 기록했어요.
risk-ask-resolve-note = 제보 #{ $id } 해결: 고친 뒤 찍은 사진이 있으면 보내 주세요(사진 설명에 메모를 적어도 돼요). 사진이 없으면 어떻게 해결됐는지 글로 적어 주세요. 알린 사람들에게 전해져요.
risk-ask-reject-reason = 제보 #{ JOSA($id, "을") } 반려하는 이유를 적어 주세요. 제보자에게 전해져요.
risk-resolved-done = 제보 #{ JOSA($id, "을") } 해결됨으로 기록했어요.
risk-rejected-done = 제보 #{ JOSA($id, "을") } 반려했어요.
risk-kept = 그대로 두었어요.
risk-unknown = 이 제보를 찾을 수 없어요.
risk-already-closed = 이미 해결되었거나 반려된 제보예요.
# To the reporter and the followers: { $place } is the typed address, the 동, or
# risk-place-unknown, never coordinates.
risk-told-forwarded = 📨 { $place }의 '{ $category }' 제보를 { $agency }에 전달했어요. 고마워요!
risk-told-resolved =
    🎉 { $place }의 '{ $category }'{ PARTICLE($category, "이") } 고쳐졌어요. 고마워요!
    { $note }
risk-told-resolved-bare = 🎉 { $place }의 '{ $category }'{ PARTICLE($category, "이") } 고쳐졌어요. 고마워요!
risk-told-rejected =
    { $place }의 '{ $category }' 제보는 처리하지 않기로 했어요.
    이유: { $reason }
risk-told-rejected-bare = { $place }의 '{ $category }' 제보는 처리하지 않기로 했어요.
risk-place-unknown = 제보하신 곳
risk-status-submitted = 접수
risk-status-forwarded = 기관 연계
risk-status-resolved = 해결
risk-status-rejected = 반려
risk-export-none = 아직 제보가 없어요.
risk-export-caption = 불안한 곳 제보 { $count }건 (엑셀, 지도용 GeoJSON)
risk-export-col-id = 번호
risk-export-col-status = 상태
risk-export-col-category = 종류
risk-export-col-latitude = 위도
risk-export-col-longitude = 경도
risk-export-col-address = 주소
risk-export-col-description = 내용
risk-export-col-agency = 연계 기관
risk-export-col-note = 메모·사유
risk-export-col-submitted = 접수 시각
risk-export-col-updated = 최근 변경
risk-status-merged = 합쳐짐
risk-outside-area = 이 위치는 캠페인 지역 밖이에요. 현장에서 📍 지금 위치 보내기를 다시 누르거나 주소를 글로 적어 주세요.
