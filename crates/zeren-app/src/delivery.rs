//! Email (SMTP, `lettre`) and webhook (JSON POST, `reqwest`) deliveries of
//! notifications. Each delivery is leased, attempted, and either marked sent or put
//! back with exponential backoff; one failing target never holds up the others, and
//! every error is kept on the row for the 提示记录 page.
use std::time::Duration;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use serde::Serialize;
use zeren_core::reminder::Stage;
use zeren_store::notification::{self, DeliveryRow};

use crate::{clock, App, AppResult};

/// Attempts before a delivery is given up as failed.
pub const MAX_ATTEMPTS: i64 = 8;
/// How long a claimed delivery is hidden from other engines while it is attempted.
const LEASE_SECS: i64 = 300;
const BATCH: i64 = 200;

/// SMTP relay settings. The password never prints.
#[derive(Clone)]
pub struct SmtpConfig {
    pub host: String,
    pub port: u16,
    /// `none` (plain, for a relay on the intranet), `starttls` or `tls`.
    pub security: String,
    pub username: Option<String>,
    pub password: Option<String>,
    pub from: String,
}

impl std::fmt::Debug for SmtpConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SmtpConfig")
            .field("host", &self.host)
            .field("port", &self.port)
            .field("security", &self.security)
            .field("username", &self.username)
            .field("from", &self.from)
            .finish_non_exhaustive()
    }
}

/// Seconds to wait before attempt `attempts + 1`: one minute, doubling, at most six hours.
pub fn backoff(attempts: i64) -> i64 {
    let exp = attempts.clamp(1, 10) - 1;
    (60i64 << exp).min(6 * 3600)
}

/// What a webhook receives.
#[derive(Debug, Serialize)]
struct WebhookBody<'a> {
    /// Enterprise WeChat / DingTalk robots read `msgtype` + `text.content`.
    msgtype: &'static str,
    text: WebhookText,
    zeren: WebhookDetail<'a>,
}

#[derive(Debug, Serialize)]
struct WebhookText {
    content: String,
}

#[derive(Debug, Serialize)]
struct WebhookDetail<'a> {
    notification_id: i64,
    item_type: &'a str,
    item_id: i64,
    stage: &'a str,
    title: &'a str,
    deadline: &'a str,
    org: &'a str,
}

fn message_text(d: &DeliveryRow) -> (String, String) {
    let stage = Stage::parse(&d.stage)
        .map(Stage::label)
        .unwrap_or_else(|| d.stage.clone());
    let kind = match d.item_type.as_str() {
        "task" => "任务",
        "measure" => "整改措施",
        _ => "督办单",
    };
    let subject = format!("【责任】{kind}{stage}：{}", d.title);
    let body = format!(
        "{kind}：{}\n责任单位：{}\n完成时限：{}\n提示：{stage}\n\n请登录责任系统办理。",
        d.title, d.org_name, d.deadline
    );
    (subject, body)
}

impl App {
    /// Attempts every delivery whose time has come. Returns (sent, failed attempts).
    pub async fn deliver_due(&self) -> AppResult<(usize, usize)> {
        let (mut sent, mut failed) = (0, 0);
        loop {
            let now = clock::now();
            let due = {
                let mut c = self.store.conn().await?;
                notification::deliveries_due(&mut c, now, BATCH).await?
            };
            if due.is_empty() {
                break;
            }
            for d in &due {
                let claimed = {
                    let mut tx = self.store.begin_write().await?;
                    let ok = notification::claim_delivery(tx.conn(), d, now + LEASE_SECS).await?;
                    tx.commit().await?;
                    ok
                };
                if !claimed {
                    continue;
                }
                let result = self.attempt(d).await;
                let attempts = d.attempts + 1;
                let done = clock::now();
                let mut tx = self.store.begin_write().await?;
                match &result {
                    Ok(()) => {
                        notification::finish_delivery(tx.conn(), d.id, done, None, None).await?;
                        sent += 1;
                    }
                    Err(e) => {
                        let retry = (attempts < MAX_ATTEMPTS).then(|| done + backoff(attempts));
                        tracing::warn!(delivery = d.id, channel = %d.channel, attempts, error = %e, "delivery failed");
                        notification::finish_delivery(tx.conn(), d.id, done, Some(e), retry)
                            .await?;
                        failed += 1;
                    }
                }
                tx.commit().await?;
            }
            if (due.len() as i64) < BATCH {
                break;
            }
        }
        Ok((sent, failed))
    }

    async fn attempt(&self, d: &DeliveryRow) -> Result<(), String> {
        match d.channel.as_str() {
            "email" => match &self.cfg.reminders.smtp {
                Some(smtp) => send_email(smtp, d).await,
                None => Err("未配置邮件服务器".into()),
            },
            "webhook" => send_webhook(&d.target, d).await,
            other => Err(format!("未知渠道 {other}")),
        }
    }
}

async fn send_email(smtp: &SmtpConfig, d: &DeliveryRow) -> Result<(), String> {
    let (subject, body) = message_text(d);
    let msg = Message::builder()
        .from(
            smtp.from
                .parse()
                .map_err(|e| format!("发件人地址无效：{e}"))?,
        )
        .to(d
            .target
            .parse()
            .map_err(|e| format!("收件人地址无效：{e}"))?)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body)
        .map_err(|e| format!("邮件无法生成：{e}"))?;
    let builder = match smtp.security.as_str() {
        "tls" => AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host),
        "starttls" => AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&smtp.host),
        _ => Ok(AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(
            &smtp.host,
        )),
    }
    .map_err(|e| format!("邮件服务器设置有误：{e}"))?;
    let mut builder = builder
        .port(smtp.port)
        .timeout(Some(Duration::from_secs(20)));
    if let (Some(u), Some(p)) = (&smtp.username, &smtp.password) {
        builder = builder.credentials(Credentials::new(u.clone(), p.clone()));
    }
    builder
        .build()
        .send(msg)
        .await
        .map(|_| ())
        .map_err(|e| format!("邮件发送失败：{e}"))
}

async fn send_webhook(url: &str, d: &DeliveryRow) -> Result<(), String> {
    let (subject, body) = message_text(d);
    let payload = WebhookBody {
        msgtype: "text",
        text: WebhookText {
            content: format!("{subject}\n{body}"),
        },
        zeren: WebhookDetail {
            notification_id: d.notification_id,
            item_type: &d.item_type,
            item_id: d.item_id,
            stage: &d.stage,
            title: &d.title,
            deadline: &d.deadline,
            org: &d.org_name,
        },
    };
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(15))
        .build()
        .map_err(|e| format!("无法创建HTTP客户端：{e}"))?;
    let resp = client
        .post(url)
        .json(&payload)
        .send()
        .await
        .map_err(|e| format!("推送失败：{e}"))?;
    if resp.status().is_success() {
        Ok(())
    } else {
        Err(format!("推送被拒绝：HTTP {}", resp.status().as_u16()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_a_minute_and_stops_at_six_hours() {
        assert_eq!(backoff(1), 60);
        assert_eq!(backoff(2), 120);
        assert_eq!(backoff(5), 960);
        assert_eq!(backoff(20), 6 * 3600);
    }

    #[test]
    fn smtp_passwords_never_print() {
        let s = SmtpConfig {
            host: "mail".into(),
            port: 25,
            security: "none".into(),
            username: Some("u".into()),
            password: Some("hunter2".into()),
            from: "zeren@example.org".into(),
        };
        assert!(!format!("{s:?}").contains("hunter2"));
    }
}
