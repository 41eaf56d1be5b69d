use serde::Serialize;

/// One invalid field: which one and why, in words a user understands (Chinese).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// All problems found in one input. Forms and imports report every field at once,
/// so the user fixes everything in one round instead of one error per submit.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("输入有误：{}", self.summary())]
pub struct ValidationErrors {
    pub errors: Vec<FieldError>,
}

impl ValidationErrors {
    pub fn new() -> Self {
        Self::default()
    }
    pub fn single(field: &str, message: impl Into<String>) -> Self {
        let mut e = Self::new();
        e.add(field, message);
        e
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.errors.push(FieldError {
            field: field.to_string(),
            message: message.into(),
        });
    }
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }
    pub fn for_field(&self, field: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|e| e.field == field)
            .map(|e| e.message.as_str())
    }
    pub fn summary(&self) -> String {
        self.errors
            .iter()
            .map(|e| format!("{}：{}", e.field, e.message))
            .collect::<Vec<_>>()
            .join("；")
    }
}
