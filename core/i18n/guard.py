"""Answers of the server's own middleware (serve.py): downloads, uploads and metrics before or beyond a login."""

MESSAGES = {
    "guard.login_required": {"zh": "需要登录", "en": "Login required"},
    "guard.media_not_yours": {
        "zh": "下载链接已过期，或不是本次登录生成的；请在页面上重新点击下载",
        "en": "This download link has expired or was made by another login; click download on the page again",
    },
    "guard.upload_not_yours": {
        "zh": "这个页面会话的上传属于另一次登录；请刷新页面后重新上传",
        "en": "Uploads of this page session belong to another login; reload the page and upload again",
    },
    "guard.upload_too_large": {
        "zh": "文件超过上传上限：单个文件 {file_mb} MB，每个会话 {session_mb} MB（限额 upload_file_mb、upload_session_mb）",
        "en": "Upload over the limit: {file_mb} MB a file, {session_mb} MB a session (upload_file_mb, upload_session_mb)",
    },
}
