## 개인정보: /mydata, /delete, /backup

privacy-mydata-caption = 이 봇이 보관하는 내 정보 전부예요 (신청 내용, 인증 기록, 사진 정보). 다른 사람에게 보내지 마세요.
privacy-nothing-stored = 봇이 보관하는 내 개인정보가 없어요.
privacy-delete-confirm =
    <b>개인정보를 삭제할까요?</b>
    이름, 학교·소속, 동네, 1365 아이디, 텔레그램 이름, 메모와 사진이 영구히 지워져요. 인증 기록은 이름 없이 캠페인 통계에만 남아요. 되돌릴 수 없고, 아직 1365에 등록되지 않은 봉사시간은 더 이상 확인해 드릴 수 없어요.
privacy-button-delete = 내 정보 삭제
privacy-button-keep = 삭제하지 않기
privacy-deleted = 개인정보를 삭제했어요. 참여해 주셔서 고마워요. 다시 참여하고 싶으면 언제든 /start 를 보내 주세요.
privacy-delete-kept = 아무것도 삭제하지 않았어요. 정보는 그대로 있어요.
privacy-backup-caption = 데이터베이스 백업이에요. 미성년자의 개인정보가 들어 있으니 외부에 공유하지 말고, 필요가 없어지면 지워 주세요.
privacy-backup-too-big = 백업 파일이 너무 커서 텔레그램으로 보낼 수 없어요. 매일 밤 만드는 사본이 서버의 { $folder } 폴더에 있어요.
privacy-private-only = 이 명령은 봇과의 1:1 대화에서 사용해 주세요.
# A message about a person who erased their data (review-feed card, application card), when it
# is too old (48 hours) to delete.
privacy-message-erased = 🗑 참여자의 요청으로 삭제된 내용이에요.
# To leaders: photos of an erased person the bot could not delete (older than 48 hours),
# followed by links to them in the group, or the lines below.
privacy-left-behind = 개인정보가 삭제된 참여자의 사진 { $count }개는 올린 지 48시간이 지나 봇이 지울 수 없어요. 직접 삭제해 주세요:
privacy-left-behind-here = 이 대화방에 { $day }에 올라온 사진 { $count }개
privacy-left-behind-group = 참여자 단체방에 { $day }에 올라온 사진 { $count }개
privacy-left-behind-participants = 참여자 개인 대화방에 { $day }에 보낸 제보 사진 { $count }개 (설명은 지웠어요. 봇도 리더도 더는 지울 수 없어요)
