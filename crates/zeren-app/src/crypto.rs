//! Field encryption and integrity behind one provider trait (GB/T 39786-2021, the
//! application layer: confidentiality of important data at rest with SM4, integrity
//! with SM3).
//!
//! - Confidential fields (an informant's name and contact …) are sealed with SM4 in
//!   GCM mode (RFC 8998 / GB/T 38636 "SM4-GCM"): RustCrypto's generic `AesGcm` over the
//!   `sm4` block cipher with a 96-bit random nonce and a 128-bit tag, so a changed
//!   byte fails to open instead of decrypting to garbage. The field's name is the
//!   associated data: a value copied into another column does not open there.
//! - A sealed value is text: `sm4gcm$<key id>$<hex(nonce ‖ ciphertext ‖ tag)>`. The
//!   key id lets `zeren keys rotate` re-encrypt under a new key while old values stay
//!   readable until they are rewritten.
//! - Keys come from `ZEREN_DATA_KEYS` (`id:hex32[,id:hex32…]`, the last one encrypts)
//!   or from a key file (`key_file` in the configuration, default `DATA/zeren.keys`),
//!   created with mode 0600 and one random key on first start. Keys are never printed:
//!   `Debug` shows ids only.
//!
//! `CONFIDENTIAL` lists every sealed column, so that rotation cannot miss one.
use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use aes_gcm::aead::consts::U12;
use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::AesGcm;
use rand::RngCore;
use sm3::{Digest, Sm3};
use sm4::Sm4;

use crate::{AppError, AppResult};

/// SM4-GCM with the standard 96-bit nonce.
type Sm4Gcm = AesGcm<Sm4, U12>;

/// The environment variable that holds keys instead of a key file.
pub const KEYS_ENV: &str = "ZEREN_DATA_KEYS";
const PREFIX: &str = "sm4gcm";
const NONCE_LEN: usize = 12;

/// Every column holding sealed values: (table, column). Rotation re-encrypts them
/// all; a new confidential column must be added here.
pub const CONFIDENTIAL: &[(&str, &str)] = &[
    ("petitions", "informant_name"),
    ("petitions", "informant_contact"),
    ("pm_filers", "declared"),
    ("pm_checks", "finding"),
    ("users", "totp_secret"),
];

/// Whether a stored value is sealed (rather than text stored before its column was).
pub fn is_sealed(v: &str) -> bool {
    v.starts_with(PREFIX) && v[PREFIX.len()..].starts_with('$')
}

/// What the application needs of cryptography. One implementation today (SM4-GCM and
/// SM3 in software); a hardware module (密码机) would be another.
pub trait CryptoProvider: Send + Sync {
    /// Encrypts `plain` for the column `field` under the active key.
    fn seal(&self, field: &str, plain: &str) -> AppResult<String>;
    /// Decrypts a value `seal` produced for the same `field`, under whichever known
    /// key its id names. Fails on any change to the value.
    fn open(&self, field: &str, sealed: &str) -> AppResult<String>;
    /// The id of the key new values are sealed with.
    fn active_key_id(&self) -> String;
    /// The key id a sealed value names (without opening it).
    fn key_id_of<'a>(&self, sealed: &'a str) -> Option<&'a str> {
        let mut parts = sealed.splitn(3, '$');
        (parts.next() == Some(PREFIX)).then_some(())?;
        parts.next()
    }
    /// SM3 digest (GB/T 32905), for integrity checks.
    fn digest(&self, data: &[u8]) -> [u8; 32] {
        sm3_digest(data)
    }
}

/// SM3 of `data`.
pub fn sm3_digest(data: &[u8]) -> [u8; 32] {
    let mut h = Sm3::new();
    h.update(data);
    h.finalize().into()
}

/// SM3 of `data` as lowercase hex.
pub fn sm3_hex(data: &[u8]) -> String {
    hex::encode(sm3_digest(data))
}

/// Where keys came from, which decides whether they can be rotated in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeySource {
    File(PathBuf),
    Env,
    /// Built in memory (tests).
    Memory,
}

/// SM4 keys by id; the last added encrypts.
pub struct Keyring {
    keys: BTreeMap<String, [u8; 16]>,
    active: String,
    pub source: KeySource,
}

impl std::fmt::Debug for Keyring {
    // ids only: a key must never reach a log
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Keyring")
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .field("active", &self.active)
            .field("source", &self.source)
            .finish()
    }
}

fn crypto_err(msg: impl Into<String>) -> AppError {
    AppError::Io(msg.into())
}

fn valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 32
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Keyring {
    /// Parses `id:hex` entries, one per line (file) or comma-separated (environment);
    /// `#` starts a comment. The last entry is the active key.
    pub fn parse(text: &str, source: KeySource) -> AppResult<Keyring> {
        let mut keys = BTreeMap::new();
        let mut active = None;
        let entries = text
            .lines()
            .flat_map(|l| l.split(','))
            .map(|e| e.split('#').next().unwrap_or("").trim())
            .filter(|e| !e.is_empty());
        for (n, e) in entries.enumerate() {
            let where_ = match &source {
                KeySource::File(p) => format!("密钥文件 {} 第{}项", p.display(), n + 1),
                KeySource::Env => format!("环境变量 {KEYS_ENV} 第{}项", n + 1),
                KeySource::Memory => format!("第{}项密钥", n + 1),
            };
            let Some((id, hexkey)) = e.split_once(':') else {
                return Err(crypto_err(format!("{where_} 格式应为“编号:32位十六进制”")));
            };
            let id = id.trim();
            if !valid_id(id) {
                return Err(crypto_err(format!(
                    "{where_} 的密钥编号只能由字母、数字、-、_ 组成"
                )));
            }
            let bytes = hex::decode(hexkey.trim()).ok().filter(|b| b.len() == 16);
            let Some(bytes) = bytes else {
                return Err(crypto_err(format!(
                    "{where_}（编号 {id}）不是 16 字节的 SM4 密钥（32 位十六进制）"
                )));
            };
            let mut k = [0u8; 16];
            k.copy_from_slice(&bytes);
            if keys.insert(id.to_string(), k).is_some() {
                return Err(crypto_err(format!("{where_}：密钥编号 {id} 重复")));
            }
            active = Some(id.to_string());
        }
        let Some(active) = active else {
            return Err(crypto_err("没有可用的数据密钥"));
        };
        Ok(Keyring {
            keys,
            active,
            source,
        })
    }

    /// Keys from `ZEREN_DATA_KEYS` when set, else from `path`, created with one random
    /// key (mode 0600) when it does not exist yet.
    pub fn load(path: &Path) -> AppResult<Keyring> {
        if let Some(v) = std::env::var(KEYS_ENV)
            .ok()
            .filter(|v| !v.trim().is_empty())
        {
            return Keyring::parse(&v, KeySource::Env);
        }
        if !path.exists() {
            let mut k = Keyring {
                keys: BTreeMap::new(),
                active: String::new(),
                source: KeySource::File(path.to_path_buf()),
            };
            k.add_random();
            k.write_file(path)?;
            tracing::info!(
                "已生成数据密钥文件 {}（请妥善备份，丢失将无法解密保密字段）",
                path.display()
            );
            return Ok(k);
        }
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            if let Ok(m) = std::fs::metadata(path) {
                if m.permissions().mode() & 0o077 != 0 {
                    tracing::warn!(
                        "数据密钥文件 {} 可被其他用户读取，应为 0600 权限",
                        path.display()
                    );
                }
            }
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| crypto_err(format!("无法读取数据密钥文件 {}：{e}", path.display())))?;
        Keyring::parse(&text, KeySource::File(path.to_path_buf()))
    }

    /// One fixed key, for tests and tools.
    pub fn single(id: &str, key: [u8; 16]) -> Keyring {
        Keyring {
            keys: BTreeMap::from([(id.to_string(), key)]),
            active: id.to_string(),
            source: KeySource::Memory,
        }
    }

    /// Adds a fresh random key (`k1`, `k2`, … the next free number) and makes it the
    /// active one; returns its id.
    pub fn add_random(&mut self) -> String {
        let next = self
            .keys
            .keys()
            .filter_map(|id| id.strip_prefix('k').and_then(|n| n.parse::<u64>().ok()))
            .max()
            .unwrap_or(0)
            + 1;
        let id = format!("k{next}");
        let mut k = [0u8; 16];
        rand::rngs::OsRng.fill_bytes(&mut k);
        self.keys.insert(id.clone(), k);
        self.active = id.clone();
        id
    }

    /// Keeps only the active key (after every value was re-encrypted under it).
    pub fn retire_others(&mut self) {
        let active = self.active.clone();
        self.keys.retain(|id, _| *id == active);
    }

    pub fn ids(&self) -> Vec<String> {
        self.keys.keys().cloned().collect()
    }

    /// Writes the key file: a temporary file with mode 0600, fsynced, renamed over
    /// the old one, so a crash leaves either the old or the new file whole.
    pub fn write_file(&self, path: &Path) -> AppResult<()> {
        let dir = path.parent().unwrap_or(Path::new("."));
        std::fs::create_dir_all(dir)
            .map_err(|e| crypto_err(format!("无法创建目录 {}：{e}", dir.display())))?;
        let tmp = path.with_extension("keys.tmp");
        let mut text = String::from(
            "# Zeren 数据密钥（SM4-128，十六进制）。保密、备份，权限 0600。\n\
             # 最后一行的密钥用于加密，其余仅用于解密旧数据。轮换：zeren keys rotate\n",
        );
        // the active key last
        for (id, k) in self.keys.iter().filter(|(id, _)| **id != self.active) {
            text.push_str(&format!("{id}:{}\n", hex::encode(k)));
        }
        if let Some(k) = self.keys.get(&self.active) {
            text.push_str(&format!("{}:{}\n", self.active, hex::encode(k)));
        }
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let write = || -> std::io::Result<()> {
            let mut f = opts.open(&tmp)?;
            f.write_all(text.as_bytes())?;
            f.sync_all()?;
            std::fs::rename(&tmp, path)?;
            if let Ok(d) = std::fs::File::open(dir) {
                let _ = d.sync_all();
            }
            Ok(())
        };
        write().map_err(|e| crypto_err(format!("无法写入数据密钥文件 {}：{e}", path.display())))
    }

    fn cipher(&self, id: &str) -> Option<Sm4Gcm> {
        self.keys
            .get(id)
            .and_then(|k| Sm4Gcm::new_from_slice(k).ok())
    }
}

impl CryptoProvider for Keyring {
    fn seal(&self, field: &str, plain: &str) -> AppResult<String> {
        let cipher = self
            .cipher(&self.active)
            .ok_or_else(|| crypto_err("没有可用的数据密钥"))?;
        let mut nonce = [0u8; NONCE_LEN];
        rand::rngs::OsRng.fill_bytes(&mut nonce);
        let ct = cipher
            .encrypt(
                (&nonce).into(),
                Payload {
                    msg: plain.as_bytes(),
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| crypto_err(format!("加密字段 {field} 失败")))?;
        let mut blob = nonce.to_vec();
        blob.extend_from_slice(&ct);
        Ok(format!("{PREFIX}${}${}", self.active, hex::encode(blob)))
    }

    fn open(&self, field: &str, sealed: &str) -> AppResult<String> {
        let mut parts = sealed.splitn(3, '$');
        let (Some(PREFIX), Some(id), Some(body)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(crypto_err(format!("字段 {field} 不是加密格式")));
        };
        let cipher = self.cipher(id).ok_or_else(|| {
            crypto_err(format!(
                "字段 {field} 由密钥 {id} 加密，当前密钥中没有它（请检查密钥文件）"
            ))
        })?;
        let blob = hex::decode(body)
            .ok()
            .filter(|b| b.len() >= NONCE_LEN + 16)
            .ok_or_else(|| crypto_err(format!("字段 {field} 的密文已损坏")))?;
        let (nonce, ct) = blob.split_at(NONCE_LEN);
        let plain = cipher
            .decrypt(
                nonce.into(),
                Payload {
                    msg: ct,
                    aad: field.as_bytes(),
                },
            )
            .map_err(|_| crypto_err(format!("字段 {field} 的密文校验失败（被改动或密钥不符）")))?;
        String::from_utf8(plain).map_err(|_| crypto_err(format!("字段 {field} 解密后不是文本")))
    }

    fn active_key_id(&self) -> String {
        self.active.clone()
    }
}

/// The keys for an application opening `store`: like `Keyring::load`, but a
/// database that already holds sealed values never gets a freshly generated key
/// (which would take the lost key's id and seal new values under a key the operator
/// does not have): a missing key file is then an error that says what to restore.
/// A key file that cannot open the newest value of a sealed column is reported in the
/// log at start, not at the first reading.
pub async fn load_for(store: &zeren_store::Store, path: &Path) -> AppResult<Keyring> {
    let from_env = std::env::var(KEYS_ENV)
        .ok()
        .is_some_and(|v| !v.trim().is_empty());
    let mut c = store.conn().await?;
    let mut samples = Vec::new();
    let mut sealed = 0;
    for (table, column) in CONFIDENTIAL {
        let (n, one) = zeren_store::discipline::sealed_sample(&mut c, table, column).await?;
        sealed += n;
        if let Some(v) = one {
            samples.push((format!("{table}.{column}"), v));
        }
    }
    drop(c);
    if !from_env && sealed > 0 && !path.exists() {
        return Err(crypto_err(format!(
            "数据库中已有 {sealed} 个加密保存的保密字段，但找不到数据密钥文件 {}：请把原来的数据密钥文件放回该位置（或用环境变量 {KEYS_ENV} 提供），系统不会为已有加密数据生成新密钥",
            path.display()
        )));
    }
    let ring = Keyring::load(path)?;
    for (field, v) in &samples {
        if let Err(e) = ring.open(field, v) {
            tracing::warn!("数据密钥与数据库中的加密字段不符：{e}");
        }
    }
    Ok(ring)
}

/// What a rotation did.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Rotation {
    pub new_key: String,
    pub retired: Vec<String>,
    /// Values re-encrypted.
    pub values: usize,
}

impl crate::App {
    /// Key rotation (`zeren keys rotate`): adds a new key to the key file, re-encrypts
    /// every value of every `CONFIDENTIAL` column under it in one transaction, and
    /// then drops the old keys from the file. A crash before the commit leaves the old
    /// values and both keys; a crash after it leaves the new values and both keys:
    /// either way everything stays readable.
    pub async fn rotate_keys(&self) -> AppResult<Rotation> {
        let path = self.cfg.key_path();
        let mut ring = Keyring::load(&path)?;
        if ring.source != KeySource::File(path.clone()) {
            return Err(crypto_err(format!(
                "数据密钥来自环境变量 {KEYS_ENV}，不能自动轮换：请在其中追加新密钥（编号:32位十六进制，放在最后）后重新启动，再运行本命令"
            )));
        }
        let old = ring.ids();
        let new_key = ring.add_random();
        ring.write_file(&path)?;
        let mut tx = self.store.begin_write().await?;
        let mut values = 0;
        for (table, column) in CONFIDENTIAL {
            let field = format!("{table}.{column}");
            for (id, v) in zeren_store::discipline::sealed_values(tx.conn(), table, column).await? {
                let plain = ring.open(&field, &v)?;
                let sealed = ring.seal(&field, &plain)?;
                zeren_store::discipline::set_sealed(tx.conn(), table, column, id, &sealed).await?;
                values += 1;
            }
        }
        crate::audit::record(
            tx.conn(),
            None,
            "system",
            "cli",
            crate::audit::Event::ok(crate::audit::AuditAction::KeyRotate, "keys", &new_key, "")
                .detail(format!(
                    "{values} 个保密字段改用新密钥 {new_key} 加密；停用 {}",
                    old.join(",")
                )),
        )
        .await?;
        tx.commit().await?;
        ring.retire_others();
        ring.write_file(&path)?;
        self.set_keys(Keyring::load(&path)?);
        Ok(Rotation {
            new_key,
            retired: old,
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sm4_gcm_matches_rfc_8998_a1() {
        // RFC 8998 appendix A.1: SM4-GCM test vector
        let key = hex::decode("0123456789ABCDEFFEDCBA9876543210").unwrap();
        let iv = hex::decode("00001234567800000000ABCD").unwrap();
        let aad = hex::decode("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2").unwrap();
        let pt = hex::decode(
            "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDD\
             EEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA",
        )
        .unwrap();
        let c = Sm4Gcm::new_from_slice(&key).unwrap();
        let out = c
            .encrypt(
                iv.as_slice().into(),
                Payload {
                    msg: &pt,
                    aad: &aad,
                },
            )
            .unwrap();
        assert_eq!(
            hex::encode_upper(out),
            "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735\
             D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D\
             83DE3541E4C2B58177E065A9BF7B62EC"
        );
    }

    #[test]
    fn sm3_matches_the_standard_example() {
        // GB/T 32905-2016 appendix A.1: SM3("abc")
        assert_eq!(
            sm3_hex(b"abc"),
            "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
        );
    }

    #[test]
    fn sealed_values_open_only_for_their_field_and_unchanged() {
        let k = Keyring::single("k1", [7; 16]);
        let s = k.seal("petitions.informant_name", "张三").unwrap();
        assert!(s.starts_with("sm4gcm$k1$"));
        assert!(!s.contains("张三"));
        assert_ne!(s, k.seal("petitions.informant_name", "张三").unwrap());
        assert_eq!(k.open("petitions.informant_name", &s).unwrap(), "张三");
        assert!(k.open("petitions.informant_contact", &s).is_err());
        let mut bad = s.clone();
        let last = bad.pop().unwrap();
        bad.push(if last == '0' { '1' } else { '0' });
        assert!(k.open("petitions.informant_name", &bad).is_err());
        assert_eq!(k.key_id_of(&s), Some("k1"));
    }

    #[test]
    fn rotation_keeps_old_values_readable_until_retired() {
        let mut k = Keyring::single("k1", [1; 16]);
        let old = k.seal("f", "李四").unwrap();
        let id = k.add_random();
        assert_eq!(id, "k2");
        let new = k.seal("f", "李四").unwrap();
        assert_eq!(k.key_id_of(&new), Some("k2"));
        assert_eq!(k.open("f", &old).unwrap(), "李四");
        k.retire_others();
        assert!(k.open("f", &old).is_err());
        assert_eq!(k.open("f", &new).unwrap(), "李四");
    }

    #[test]
    fn key_file_is_created_private_and_never_printed() {
        let dir = std::env::temp_dir().join(format!("zeren-keys-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let p = dir.join("zeren.keys");
        let k = Keyring::load(&p).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&p).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let text = std::fs::read_to_string(&p).unwrap();
        let hexkey = text
            .lines()
            .rfind(|l| !l.starts_with('#'))
            .and_then(|l| l.split_once(':'))
            .map(|(_, h)| h.to_string())
            .unwrap();
        assert!(!format!("{k:?}").contains(&hexkey));
        let again = Keyring::load(&p).unwrap();
        let s = k.seal("f", "x").unwrap();
        assert_eq!(again.open("f", &s).unwrap(), "x");
        assert!(Keyring::parse("k1:00", KeySource::Memory).is_err());
        assert!(Keyring::parse("", KeySource::Memory).is_err());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
