## 불안요소 제보: 한 곳에 제보 하나, 고친 뒤 사진, 기관 전달용 글, 우리 순찰로 고친 곳

button-risk-send-location = 📍 지금 위치 보내기
risk-location-placeholder = 또는 주소를 적어 주세요
risk-location-received = 📍 위치를 받았어요.
risk-nearby =
    👀 { $distance } 같은 종류의 제보가 이미 있어요.
    종류: { $category }
    제보한 날: { $date }
    상태: { $status }
    지금까지 { $count }명이 알렸어요.
    같은 곳인가요?
risk-nearby-metres = 약 { $metres }m 떨어진 곳에
risk-nearby-same-address = 같은 주소에
button-risk-same-place = 👍 같은 곳이에요
button-risk-other-place = 다른 곳이에요
risk-press-same-place = 위의 '같은 곳이에요' 또는 '다른 곳이에요'를 눌러 주세요.
risk-nearby-gone = 그 제보는 방금 마무리됐어요. 새 제보로 이어서 받을게요.
risk-joined = 👍 같은 곳으로 함께 알렸어요. 이제 { $count }명이 알린 제보예요. 소식이 생기면 알려 드릴게요!
risk-joined-already = 이미 알려 주신 곳이에요. 소식이 생기면 알려 드릴게요.
risk-noticed-leader = 👥 제보 #{ $id } ({ $category }): 한 명이 더 같은 곳이라고 알렸어요. 모두 { $count }명이에요.
button-risk-merge = 🔗 다른 제보와 합치기
risk-merge-none = 제보 #{ $id } 근처(100m 안, 또는 같은 주소)에 합칠 만한 열린 제보가 없어요.
risk-ask-merge = 제보 #{ $id }: 같은 곳을 알린 제보를 골라 주세요. 고른 제보 하나로 합쳐져요.
button-risk-merge-into = #{ $id } { $category } ({ $distance })
risk-merged-done = 제보 #{ $source } → #{ $id }, 하나로 합쳤어요. 이제 { $count }명이 알린 제보예요.
button-risk-resolve-bare = 사진·메모 없이 해결로 기록
risk-after-photo-unreadable = 사진을 읽을 수 없어요. 다른 사진을 보내거나 메모를 글로 적어 주세요.
risk-photo-before = 제보할 때
risk-photo-after = 고친 뒤
risk-fixed-group = ✅ 고쳐졌어요! { $area }의 '{ $category }' 문제가 우리 순찰 덕분에 해결됐어요. 👏
risk-area-unknown = 우리 동네
command-myreports = 내가 한 제보 보기
risk-mine-none = 아직 보낸 제보가 없어요. /report 로 알려 주세요.
risk-mine-title = 📋 <b>내가 한 제보</b>
risk-mine-line = #{ $id } { $category } · { $status } · { $date } · { $count }명이 알림
button-risk-check = 🔍 #{ $id } 고쳐졌는지 확인하기
risk-ask-check-photo = 제보 #{ $id }: 지금 그곳 사진을 한 장 보내 주세요. 리더가 보고 고쳐졌는지 정해요. (/cancel 로 그만두기)
risk-invalid-check-photo = 지금 그곳 사진을 보내 주세요.
risk-check-sent = 📷 사진을 리더에게 보냈어요. 고쳐졌으면 알려 드릴게요!
risk-check-leader =
    🔍 제보 #{ $id } ({ $category }, { $place }): 알린 사람이 순찰하다가 지금 모습을 찍어 보냈어요.
    고쳐졌나요?
button-risk-confirm = ✅ 고쳐졌어요 (해결로 기록)
button-risk-not-yet = 아직이에요
risk-still-open-done = 제보 #{ $id }: 아직 그대로라고 기록했어요.
risk-fixed-title-round = 🔧 <b>우리 순찰이 찾고 고친 곳</b> (이번 기간)
risk-fixed-title-mine = 🔧 내가 찾은 곳
risk-fixed-line = · 찾은 { $category } { $found }곳 중 { $fixed }곳이 고쳐졌어요 (기관에 전달 { $forwarded }곳)
risk-handoff =
    📋 <b>제보 #{ $id } 기관 전달용</b> (안전신문고·순찰신문고에 붙여 넣으세요. 사진은 위에 있어요.)
    <pre>종류: { $category }
    주소: { $address }
    좌표(위도, 경도): { $coordinates }
    발견일: { $found }
    전달일: { $forwarded }
    알린 사람: { $count }명
    내용: { $description }</pre>
risk-handoff-none = (없음)
button-risk-safety-report = 안전신문고 열기
button-risk-patrol-report = 경찰청 (순찰신문고) 열기
button-risk-more-place = ➕ 같은 순찰에서 찾은 곳 더 추가
risk-ask-more-place = 다음 장소에 가서 아래 <b>📍 지금 위치 보내기</b>를 눌러 주세요. 사진과 설명은 모든 곳에 함께 쓰여요.
risk-place-added = 📍 { $count }곳이 됐어요. 곳마다 따로 제보돼요.
risk-too-many-places = 한 번에 { $limit }곳까지 보낼 수 있어요. 나머지는 새 제보로 보내 주세요.
risk-silent-title = ⏳ <b>기관에 전달하고 { $days }일 넘게 소식이 없는 제보 { $count }건</b> (한 번 눌러 정리해 주세요)
risk-silent-line = #{ $id } { $category } · { $agency } · { $date }부터 { $days }일째 · { $count }명이 알림
risk-silent-more = …그 밖에 { $more }건이 더 있어요. (전체 목록: /export reports)
button-risk-still-open = #{ $id } 아직 그대로
risk-export-col-noticed = 알린 사람 수
