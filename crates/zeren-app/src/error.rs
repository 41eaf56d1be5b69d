use zeren_core::ValidationErrors;
use zeren_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error(transparent)]
    Invalid(#[from] ValidationErrors),
    /// Not found, or outside the actor's scope: the two answer the same, so scope
    /// does not leak whether a record exists.
    #[error("记录不存在或无权查看")]
    NotFound,
    #[error("无权执行此操作：{0}")]
    Forbidden(String),
    #[error("请先登录")]
    Unauthenticated,
    #[error("用户名或密码错误")]
    BadCredentials,
    #[error("{0}")]
    Conflict(String),
    #[error("存储错误：{0}")]
    Store(StoreError),
    #[error("文件错误：{0}")]
    Io(String),
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Conflict => AppError::Conflict("记录已被他人修改，请刷新后重试".into()),
            other => AppError::Store(other),
        }
    }
}

pub type AppResult<T> = Result<T, AppError>;

pub fn invalid(field: &str, msg: impl Into<String>) -> AppError {
    AppError::Invalid(ValidationErrors::single(field, msg))
}
