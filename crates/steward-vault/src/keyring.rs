//! The key ring: where the root secrets come from, kept apart from each other and from the
//! data (GDPR-29).
//!
//! Four independent root secrets, each usable on its own:
//!
//! | secret | used for | from |
//! |---|---|---|
//! | key-encryption keys (versioned) | wrapping per-subject data keys ([`Vault`]) | the file's `kek` section, or a master key ([`StaticKeyProvider`]) |
//! | blind-index key | identity lookup tokens ([`BlindIndex`]) | the file's `blind_index` section, or an explicit value |
//! | IP pseudonym root key | per-epoch IP tokens ([`IpPseudonymizer`]) | the file's `ip_pseudonym` section, or an explicit value |
//! | audit signing keys (versioned) | checkpoint signatures ([`CheckpointSigner`]) | the file's `audit_signing` section, or an explicit seed |
//!
//! Each secret must come from exactly one source: a secret given both in the file and
//! explicitly is a [`KeyRingError::Conflict`], never a silent preference. An ingest-only
//! process can be given a file (or a value) with the IP key alone; asking it for anything else
//! is [`KeyRingError::Missing`]. There are no fallbacks: a missing IP key stops ingestion rather
//! than storing raw addresses.
//!
//! The library never reads the process environment: the binary reads `STEWARD_MASTER_KEY`,
//! `STEWARD_MASTER_KEY_FILE` etc. and passes the values in [`KeySources`].
//!
//! # The key ring file
//!
//! JSON, created on first run (when [`KeySources::create_if_missing`]) with mode 0600; a
//! file readable or writable by group or others is refused. Writes are atomic: a temporary
//! file (0600) is written and fsynced, then linked (first creation, so two processes starting
//! together cannot both create one) or renamed over the old file (rotation, after checking the
//! file did not change meanwhile), then the directory is fsynced.
//!
//! # Rotation
//!
//! [`KeyRing::rotate_kek`] adds a KEK and makes it current; the data keys are then re-wrapped
//! by the caller (`Vault::rewrap` over the store's `keys_wrapped_by`), and the old KEK is
//! retired with [`KeyRing::retire_kek`] once nothing is wrapped under it. A running
//! [`FileKeyProvider`] notices the rewritten file (it compares the file's identity before each
//! operation), so processes sharing the file pick up a rotation or a retirement at once. Retiring KEKs is also what makes a database backup taken
//! before an erasure unreadable for good once its wrapped keys are no longer held.

use std::fmt;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::{Arc, PoisonError, RwLock};

use ring::digest;
use zeroize::Zeroizing;

use crate::blind::BlindIndex;
use crate::datakey::Vault;
use crate::error::VaultError;
use crate::ids::{KekId, SigningKeyId};
use crate::ip::IpPseudonymizer;
use crate::provider::{DATA_KEY_LEN, KekSet, KekSetError, KeyProvider, StaticKeyProvider};
use crate::secret::{RandomError, SecretFormatError, SecretKey, SecretString, fill_random, to_hex};
use crate::signing::{CheckpointPublicKey, CheckpointSigner, CheckpointVerifier};

/// The `format` field of a key ring file.
const FORMAT: &str = "steward-keyring";
/// The version this code writes and reads.
const VERSION: u32 = 1;
/// The note written into new files.
const NOTE: &str = "steward root secrets: keep this file private (mode 0600); back it up, but \
                    separately from the database; losing it makes all vault data unreadable";

/// Which root secret.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SecretKind {
    /// The key-encryption keys.
    Kek,
    /// The blind-index key.
    BlindIndex,
    /// The IP pseudonymization root key.
    IpPseudonym,
    /// The audit checkpoint signing key.
    AuditSigning,
}

impl SecretKind {
    fn hint(self) -> &'static str {
        match self {
            SecretKind::Kek => {
                "give a key ring file with a `kek` section, or a master key (STEWARD_MASTER_KEY \
                 or STEWARD_MASTER_KEY_FILE)"
            }
            SecretKind::BlindIndex => {
                "give a key ring file with a `blind_index` section, or the key explicitly"
            }
            SecretKind::IpPseudonym => {
                "give a key ring file with an `ip_pseudonym` section, or the key explicitly; IP \
                 addresses are not ingested without it (they are never stored raw)"
            }
            SecretKind::AuditSigning => {
                "give a key ring file with an `audit_signing` section, or the seed explicitly"
            }
        }
    }
}

impl fmt::Display for SecretKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            SecretKind::Kek => "key-encryption key",
            SecretKind::BlindIndex => "blind-index key",
            SecretKind::IpPseudonym => "IP pseudonymization key",
            SecretKind::AuditSigning => "audit signing key",
        })
    }
}

/// Loading, creating or updating the key ring failed. Never carries key material.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum KeyRingError {
    /// A file operation failed.
    #[error("cannot {op} `{}`", .path.display())]
    Io {
        /// What was attempted.
        op: &'static str,
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: io::Error,
    },
    /// The key ring file does not exist and creating it was not asked for.
    #[error("key ring file `{}` does not exist", .0.display())]
    NotFound(PathBuf),
    /// The key ring file is accessible by group or others.
    #[error(
        "key ring file `{}` has mode {mode:04o}: it must not be accessible by group or others \
         (run `chmod 600 {}`)", .path.display(), .path.display()
    )]
    InsecurePermissions {
        /// The file.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
    },
    /// The key ring file is not valid JSON of the expected shape (the position only: the
    /// parser's message could quote key material).
    #[error("key ring file `{}` is malformed near line {line}, column {column}", .path.display())]
    Malformed {
        /// The file.
        path: PathBuf,
        /// Line of the error.
        line: usize,
        /// Column of the error.
        column: usize,
    },
    /// The key ring file is well-formed but inconsistent.
    #[error("key ring file `{}` is invalid: {reason}", .path.display())]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        reason: &'static str,
    },
    /// The key ring file has another format version.
    #[error("key ring file `{}` has format version {found}; this binary reads version {VERSION}", .path.display())]
    UnsupportedVersion {
        /// The file.
        path: PathBuf,
        /// The version found.
        found: u32,
    },
    /// A secret is given by more than one source.
    #[error(
        "the {0} is given more than once (in the key ring file and explicitly, or as a value \
         and a file): give it once"
    )]
    Conflict(SecretKind),
    /// A secret is not configured.
    #[error("no {0} is configured: {hint}", hint = .0.hint())]
    Missing(SecretKind),
    /// A secret value is malformed.
    #[error("the {kind} is not valid: {source}")]
    InvalidSecret {
        /// Which secret.
        kind: SecretKind,
        /// Why.
        #[source]
        source: SecretFormatError,
    },
    /// Rotation of a secret that does not come from the key ring file.
    #[error(
        "the {0} does not come from a key ring file: rotate it at its source (for a master \
         key: set the new key and pass the old one as a previous key, then re-wrap)"
    )]
    RotationUnsupported(SecretKind),
    /// A KEK id that the key ring does not have.
    #[error("key-encryption key `{0}` is not in the key ring")]
    UnknownKek(KekId),
    /// An attempt to retire the current KEK.
    #[error("key-encryption key `{0}` is the current one; rotate before retiring it")]
    RetireCurrent(KekId),
    /// The file changed between reading and replacing it.
    #[error("key ring file `{}` changed while it was being updated; retry", .0.display())]
    ConcurrentModification(PathBuf),
    /// The key-encryption keys are inconsistent (e.g. the same previous key given twice).
    #[error(transparent)]
    KekSet(#[from] KekSetError),
    /// The random number generator failed.
    #[error(transparent)]
    Random(#[from] RandomError),
}

/// Where the root secrets come from. Values are passed in by the binary (from the
/// environment, flags or config); the library reads no environment variable.
#[derive(Debug, Default, Clone)]
pub struct KeySources {
    /// The key ring file (e.g. `./steward-data/keyring.json`).
    pub file: Option<PathBuf>,
    /// Create the file, with fresh secrets for every section not given explicitly, if it does
    /// not exist. Leave it off where a missing file means a misconfiguration (replicas sharing
    /// a database must share keys).
    pub create_if_missing: bool,
    /// The master key (`STEWARD_MASTER_KEY`): base64 of 32 bytes; it becomes the only KEK.
    pub master_key: Option<SecretString>,
    /// A file holding the master key in base64 (`STEWARD_MASTER_KEY_FILE`). Its permissions
    /// are not checked (secret mounts are often 0444 or 0644 inside a private volume).
    pub master_key_file: Option<PathBuf>,
    /// Previous master keys, kept to unwrap (and re-wrap) data keys during a rotation.
    pub previous_master_keys: Vec<SecretString>,
    /// The blind-index key, base64 of 32 bytes.
    pub blind_index_key: Option<SecretString>,
    /// The IP pseudonymization root key, base64 of 32 bytes.
    pub ip_pseudonym_key: Option<SecretString>,
    /// The audit signing key: base64 of a 32-byte Ed25519 seed.
    pub audit_signing_key: Option<SecretString>,
}

// ---------- the file format ----------

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KeyRingDoc {
    format: String,
    version: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    note: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kek: Option<KekSection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    blind_index: Option<SingleKeySection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    ip_pseudonym: Option<SingleKeySection>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    audit_signing: Option<SigningSection>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KekSection {
    current: KekId,
    keys: Vec<KekEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct KekEntry {
    id: KekId,
    key: SecretString,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SingleKeySection {
    key: SecretString,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SigningSection {
    current: SigningKeyId,
    keys: Vec<SigningEntry>,
}

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct SigningEntry {
    id: SigningKeyId,
    public_key: String,
    /// Only the current key keeps its seed; retired keys keep their public key to verify old
    /// checkpoints.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    seed: Option<SecretString>,
}

impl KeyRingDoc {
    fn empty() -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            note: Some(NOTE.to_owned()),
            kek: None,
            blind_index: None,
            ip_pseudonym: None,
            audit_signing: None,
        }
    }
}

/// A parsed file and the digest of its bytes (to detect concurrent changes).
struct LoadedDoc {
    doc: KeyRingDoc,
    digest: [u8; 32],
}

fn invalid(path: &Path, reason: &'static str) -> KeyRingError {
    KeyRingError::Invalid {
        path: path.to_owned(),
        reason,
    }
}

fn io_err<'a>(op: &'static str, path: &'a Path) -> impl FnOnce(io::Error) -> KeyRingError + 'a {
    move |source| KeyRingError::Io {
        op,
        path: path.to_owned(),
        source,
    }
}

fn parse_key(kind: SecretKind, text: &SecretString) -> Result<SecretKey, KeyRingError> {
    SecretKey::from_base64(text.expose())
        .map_err(|source| KeyRingError::InvalidSecret { kind, source })
}

/// Reads a private file: refuses it if group or others have any access (unix).
fn read_private(path: &Path) -> Result<Zeroizing<Vec<u8>>, KeyRingError> {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            return Err(KeyRingError::NotFound(path.to_owned()));
        }
        Err(e) => return Err(io_err("open", path)(e)),
    };
    check_private(&file, path)?;
    let mut buf = Zeroizing::new(Vec::new());
    file.read_to_end(&mut buf).map_err(io_err("read", path))?;
    Ok(buf)
}

#[cfg(unix)]
fn check_private(file: &File, path: &Path) -> Result<(), KeyRingError> {
    use std::os::unix::fs::PermissionsExt as _;
    let mode = file
        .metadata()
        .map_err(io_err("inspect", path))?
        .permissions()
        .mode()
        & 0o777;
    // SECURITY: any group/other bit is refused, not only read: a group-writable key file
    // lets others replace the keys.
    if mode & 0o077 != 0 {
        return Err(KeyRingError::InsecurePermissions {
            path: path.to_owned(),
            mode,
        });
    }
    Ok(())
}

#[cfg(not(unix))]
fn check_private(_file: &File, _path: &Path) -> Result<(), KeyRingError> {
    Ok(())
}

fn load_doc(path: &Path) -> Result<LoadedDoc, KeyRingError> {
    let bytes = read_private(path)?;
    let doc: KeyRingDoc = serde_json::from_slice(&bytes).map_err(|e| KeyRingError::Malformed {
        path: path.to_owned(),
        line: e.line(),
        column: e.column(),
    })?;
    if doc.format != FORMAT {
        return Err(invalid(path, "`format` is not \"steward-keyring\""));
    }
    if doc.version != VERSION {
        return Err(KeyRingError::UnsupportedVersion {
            path: path.to_owned(),
            found: doc.version,
        });
    }
    Ok(LoadedDoc {
        doc,
        digest: sha256(&bytes),
    })
}

fn sha256(bytes: &[u8]) -> [u8; 32] {
    let d = digest::digest(&digest::SHA256, bytes);
    let mut out = [0u8; 32];
    out.copy_from_slice(d.as_ref());
    out
}

fn serialize_doc(doc: &KeyRingDoc) -> Result<Zeroizing<Vec<u8>>, KeyRingError> {
    // Serializing plain structs of strings cannot fail; the error path is not reachable.
    let mut v = serde_json::to_vec_pretty(doc).map_err(|_| KeyRingError::Invalid {
        path: PathBuf::new(),
        reason: "cannot be serialized",
    })?;
    v.push(b'\n');
    Ok(Zeroizing::new(v))
}

/// How [`write_private`] installs the file.
enum Install {
    /// Only if no file exists (first run).
    CreateNew,
    /// Replace the file, if its content still has this digest.
    Replace([u8; 32]),
}

/// Writes `bytes` to `path` atomically with mode 0600. `Ok(false)` if `CreateNew` found a file.
fn write_private(path: &Path, bytes: &[u8], install: Install) -> Result<bool, KeyRingError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_owned(),
        _ => PathBuf::from("."),
    };
    create_private_dir(&dir)?;
    let name = path
        .file_name()
        .ok_or_else(|| invalid(path, "the path has no file name"))?
        .to_string_lossy()
        .into_owned();
    let mut suffix = [0u8; 6];
    fill_random(&mut suffix)?;
    let tmp = dir.join(format!(".{name}.tmp-{}", to_hex(&suffix)));
    let result = write_then_install(path, &tmp, &dir, bytes, install);
    // The temporary file is gone after a rename; after a link or a failure remove it.
    let _ = fs::remove_file(&tmp);
    result
}

fn write_then_install(
    path: &Path,
    tmp: &Path,
    dir: &Path,
    bytes: &[u8],
    install: Install,
) -> Result<bool, KeyRingError> {
    let mut opts = OpenOptions::new();
    opts.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        opts.mode(0o600);
    }
    let mut f = opts.open(tmp).map_err(io_err("create", tmp))?;
    f.write_all(bytes).map_err(io_err("write", tmp))?;
    f.sync_all().map_err(io_err("sync", tmp))?;
    drop(f);
    match install {
        // A hard link installs the file only if none exists, atomically: of two processes
        // starting together, one creates the key ring and the other reads it.
        Install::CreateNew => match fs::hard_link(tmp, path) {
            Ok(()) => {}
            Err(e) if e.kind() == io::ErrorKind::AlreadyExists => return Ok(false),
            // Filesystems without hard links: check, then rename (a narrow race remains).
            Err(_) if path.exists() => return Ok(false),
            Err(_) => fs::rename(tmp, path).map_err(io_err("create", path))?,
        },
        Install::Replace(expected) => {
            let current = read_private(path)?;
            if sha256(&current) != expected {
                return Err(KeyRingError::ConcurrentModification(path.to_owned()));
            }
            fs::rename(tmp, path).map_err(io_err("replace", path))?;
        }
    }
    sync_dir(dir)?;
    Ok(true)
}

fn create_private_dir(dir: &Path) -> Result<(), KeyRingError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt as _;
        b.mode(0o700);
    }
    b.create(dir).map_err(io_err("create directory", dir))
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> Result<(), KeyRingError> {
    File::open(dir)
        .and_then(|d| d.sync_all())
        .map_err(io_err("sync directory", dir))
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> Result<(), KeyRingError> {
    Ok(())
}

/// A versioned id: `<prefix>-<n>-<8 random hex digits>` (random so that ids of a lost and
/// re-created key ring never collide with the old ones stored in the database).
fn new_versioned_id(prefix: &str, n: usize) -> Result<String, KeyRingError> {
    let mut r = [0u8; 4];
    fill_random(&mut r)?;
    Ok(format!("{prefix}-{n}-{}", to_hex(&r)))
}

fn new_kek_section() -> Result<KekSection, KeyRingError> {
    let id = KekId::generated(new_versioned_id("kek", 1)?, "kek-1");
    Ok(KekSection {
        current: id.clone(),
        keys: vec![KekEntry {
            id,
            key: SecretKey::generate()?.to_base64(),
        }],
    })
}

fn new_signing_entry(n: usize) -> Result<SigningEntry, KeyRingError> {
    let seed = SecretKey::generate()?;
    let public = CheckpointSigner::public_key_of_seed(&seed).map_err(|_| RandomError)?;
    Ok(SigningEntry {
        id: SigningKeyId::generated(new_versioned_id("audit", n)?, "audit-1"),
        public_key: public.to_base64(),
        seed: Some(seed.to_base64()),
    })
}

fn new_single() -> Result<SingleKeySection, KeyRingError> {
    Ok(SingleKeySection {
        key: SecretKey::generate()?.to_base64(),
    })
}

// ---------- the KEKs of the file ----------

fn kek_set_of(path: &Path, section: &KekSection) -> Result<KekSet, KeyRingError> {
    let mut keys = Vec::with_capacity(section.keys.len());
    for e in &section.keys {
        keys.push((e.id.clone(), parse_key(SecretKind::Kek, &e.key)?));
    }
    KekSet::new(section.current.clone(), &keys).map_err(|e| match e {
        KekSetError::Duplicate(_) => invalid(path, "two key-encryption keys have the same id"),
        KekSetError::CurrentMissing(_) => {
            invalid(path, "the current key-encryption key is not among the keys")
        }
        KekSetError::BadKey => invalid(path, "a key-encryption key was rejected"),
    })
}

/// Identity of a file version: a rewrite (rename) changes it.
#[derive(Clone, Copy, PartialEq, Eq)]
struct FileStamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
    #[cfg(unix)]
    ino: u64,
}

fn stamp(path: &Path) -> Option<FileStamp> {
    let m = fs::metadata(path).ok()?;
    Some(FileStamp {
        len: m.len(),
        modified: m.modified().ok(),
        #[cfg(unix)]
        ino: std::os::unix::fs::MetadataExt::ino(&m),
    })
}

struct FileKekState {
    set: Arc<KekSet>,
    stamp: Option<FileStamp>,
}

/// The versioned KEKs of a key ring file, as a [`KeyProvider`].
///
/// It follows the file: before every operation it checks whether the file was rewritten (one
/// `stat`, well under a microsecond) and reloads if so. A rotation made by `steward keys rotate`
/// reaches running servers at once, and a retired KEK stops working everywhere at once.
pub struct FileKeyProvider {
    path: PathBuf,
    state: RwLock<FileKekState>,
}

impl FileKeyProvider {
    /// Opens the `kek` section of the key ring file at `path`.
    pub fn open(path: impl Into<PathBuf>) -> Result<Self, KeyRingError> {
        let path = path.into();
        let state = Self::read_state(&path)?;
        Ok(Self {
            path,
            state: RwLock::new(state),
        })
    }

    fn read_state(path: &Path) -> Result<FileKekState, KeyRingError> {
        let stamp_before = stamp(path);
        let loaded = load_doc(path)?;
        let section = loaded
            .doc
            .kek
            .as_ref()
            .ok_or(KeyRingError::Missing(SecretKind::Kek))?;
        Ok(FileKekState {
            set: Arc::new(kek_set_of(path, section)?),
            stamp: stamp_before,
        })
    }

    /// The key ring file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Re-reads the KEKs from the file.
    pub fn reload(&self) -> Result<(), KeyRingError> {
        let fresh = Self::read_state(&self.path)?;
        *self.state.write().unwrap_or_else(PoisonError::into_inner) = fresh;
        Ok(())
    }

    fn snapshot(&self) -> Arc<KekSet> {
        Arc::clone(
            &self
                .state
                .read()
                .unwrap_or_else(PoisonError::into_inner)
                .set,
        )
    }

    /// The KEKs, reloaded first if the file was rewritten since they were read.
    fn fresh_snapshot(&self) -> Arc<KekSet> {
        let changed = {
            let st = self.state.read().unwrap_or_else(PoisonError::into_inner);
            stamp(&self.path) != st.stamp
        };
        if changed {
            // A failed reload keeps the keys in memory (they are still valid for unwrapping);
            // the next call retries.
            let _ = self.reload();
        }
        self.snapshot()
    }
}

impl fmt::Debug for FileKeyProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("FileKeyProvider")
            .field("path", &self.path)
            .field("keks", &*self.snapshot())
            .finish()
    }
}

impl KeyProvider for FileKeyProvider {
    fn current_kek(&self) -> Result<KekId, VaultError> {
        Ok(self.fresh_snapshot().current().clone())
    }

    fn kek_ids(&self) -> Result<Vec<KekId>, VaultError> {
        Ok(self.fresh_snapshot().ids())
    }

    fn wrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        data_key: &[u8; DATA_KEY_LEN],
    ) -> Result<Vec<u8>, VaultError> {
        self.fresh_snapshot().wrap(kek, aad, data_key)
    }

    fn unwrap(
        &self,
        kek: &KekId,
        aad: &[u8],
        wrapped: &[u8],
    ) -> Result<Zeroizing<[u8; DATA_KEY_LEN]>, VaultError> {
        self.fresh_snapshot().unwrap(kek, aad, wrapped)
    }
}

// ---------- the key ring ----------

/// Where the KEKs come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KekSourceKind {
    /// The key ring file (rotatable by `steward keys rotate`).
    File,
    /// A master key given by the operator.
    MasterKey,
    /// Generated in memory for this process only ([`KeyRing::ephemeral`]).
    Ephemeral,
}

#[derive(Clone)]
enum KekSource {
    File(Arc<FileKeyProvider>),
    Static(Arc<StaticKeyProvider>, KekSourceKind),
}

#[derive(Clone)]
struct SigningKeys {
    current: Option<(SigningKeyId, SecretKey)>,
    public: Vec<(SigningKeyId, CheckpointPublicKey)>,
}

/// What the key ring holds (ids and sources only), e.g. for `steward keys status`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRingStatus {
    /// The key ring file, if any.
    pub file: Option<PathBuf>,
    /// Where the KEKs come from, if configured.
    pub kek_source: Option<KekSourceKind>,
    /// The current KEK.
    pub current_kek: Option<KekId>,
    /// Every KEK held (current first).
    pub kek_ids: Vec<KekId>,
    /// Whether the blind-index key is configured.
    pub blind_index: bool,
    /// Whether the IP pseudonymization key is configured.
    pub ip_pseudonym: bool,
    /// The current audit signing key.
    pub current_signing_key: Option<SigningKeyId>,
    /// Every audit signing key known (current and retired, public keys).
    pub signing_keys: Vec<(SigningKeyId, CheckpointPublicKey)>,
}

/// The root secrets of a process, each optional; components are built from it on demand.
///
/// Load it once at start-up, build the components the process needs ([`KeyRing::vault`],
/// [`KeyRing::blind_index`] ...), and drop it: the raw secrets are zeroized with it.
#[derive(Clone)]
pub struct KeyRing {
    file: Option<PathBuf>,
    kek: Option<KekSource>,
    blind_index: Option<SecretKey>,
    ip_pseudonym: Option<SecretKey>,
    signing: Option<SigningKeys>,
}

impl fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // SECURITY: sources and ids only.
        f.debug_struct("KeyRing")
            .field("status", &self.status())
            .finish()
    }
}

/// One optional explicit secret, parsed.
fn explicit(
    kind: SecretKind,
    value: Option<&SecretString>,
) -> Result<Option<SecretKey>, KeyRingError> {
    value.map(|v| parse_key(kind, v)).transpose()
}

/// Picks the single source of a secret.
fn one_of<T>(
    kind: SecretKind,
    from_file: Option<T>,
    given: Option<T>,
) -> Result<Option<T>, KeyRingError> {
    match (from_file, given) {
        (Some(_), Some(_)) => Err(KeyRingError::Conflict(kind)),
        (a, b) => Ok(a.or(b)),
    }
}

impl KeyRing {
    /// Loads the key ring from `sources` (creating the file on first run if asked).
    pub fn load(sources: &KeySources) -> Result<Self, KeyRingError> {
        // The master key, from a value or a file (not both).
        let master_text = match (&sources.master_key, &sources.master_key_file) {
            (Some(_), Some(_)) => return Err(KeyRingError::Conflict(SecretKind::Kek)),
            (Some(v), None) => Some(v.clone()),
            (None, Some(p)) => {
                let bytes = Zeroizing::new(fs::read(p).map_err(io_err("read", p))?);
                let text =
                    std::str::from_utf8(&bytes).map_err(|_| KeyRingError::InvalidSecret {
                        kind: SecretKind::Kek,
                        source: SecretFormatError::NotBase64,
                    })?;
                Some(SecretString::from(text.trim()))
            }
            (None, None) => None,
        };
        let master = explicit(SecretKind::Kek, master_text.as_ref())?;
        let mut previous = Vec::with_capacity(sources.previous_master_keys.len());
        for p in &sources.previous_master_keys {
            previous.push(parse_key(SecretKind::Kek, p)?);
        }
        if master.is_none() && !previous.is_empty() {
            return Err(KeyRingError::Missing(SecretKind::Kek));
        }
        let blind = explicit(SecretKind::BlindIndex, sources.blind_index_key.as_ref())?;
        let ip = explicit(SecretKind::IpPseudonym, sources.ip_pseudonym_key.as_ref())?;
        let seed = explicit(SecretKind::AuditSigning, sources.audit_signing_key.as_ref())?;

        let doc = match &sources.file {
            None => None,
            Some(path) => Some((
                path.clone(),
                Self::load_or_create(
                    path,
                    sources.create_if_missing,
                    Needs {
                        kek: master.is_none(),
                        blind: blind.is_none(),
                        ip: ip.is_none(),
                        signing: seed.is_none(),
                    },
                )?,
            )),
        };

        let mut ring = KeyRing {
            file: sources.file.clone(),
            kek: None,
            blind_index: None,
            ip_pseudonym: None,
            signing: None,
        };

        let (file_has_kek, file_blind, file_ip, file_signing) = match &doc {
            Some((path, d)) => (
                d.kek.is_some(),
                d.blind_index
                    .as_ref()
                    .map(|s| parse_key(SecretKind::BlindIndex, &s.key))
                    .transpose()?,
                d.ip_pseudonym
                    .as_ref()
                    .map(|s| parse_key(SecretKind::IpPseudonym, &s.key))
                    .transpose()?,
                d.audit_signing
                    .as_ref()
                    .map(|s| signing_of(path, s))
                    .transpose()?,
            ),
            None => (false, None, None, None),
        };

        ring.kek = match (&doc, file_has_kek, master) {
            (_, true, Some(_)) => return Err(KeyRingError::Conflict(SecretKind::Kek)),
            (Some((path, _)), true, None) => {
                if !previous.is_empty() {
                    return Err(KeyRingError::Conflict(SecretKind::Kek));
                }
                Some(KekSource::File(Arc::new(FileKeyProvider::open(path)?)))
            }
            (_, _, Some(m)) => Some(KekSource::Static(
                Arc::new(StaticKeyProvider::new(&m, &previous)?),
                KekSourceKind::MasterKey,
            )),
            (_, _, None) => None,
        };
        ring.blind_index = one_of(SecretKind::BlindIndex, file_blind, blind)?;
        ring.ip_pseudonym = one_of(SecretKind::IpPseudonym, file_ip, ip)?;
        let given_signing = seed
            .map(|s| -> Result<SigningKeys, KeyRingError> {
                let pk = CheckpointSigner::public_key_of_seed(&s).map_err(|_| {
                    KeyRingError::InvalidSecret {
                        kind: SecretKind::AuditSigning,
                        source: SecretFormatError::NotBase64,
                    }
                })?;
                let id = SigningKeyId::generated(
                    format!("audit-{}", to_hex(&pk.as_bytes()[..4])),
                    "audit-explicit",
                );
                Ok(SigningKeys {
                    current: Some((id.clone(), s)),
                    public: vec![(id, pk)],
                })
            })
            .transpose()?;
        ring.signing = one_of(SecretKind::AuditSigning, file_signing, given_signing)?;
        Ok(ring)
    }

    fn load_or_create(path: &Path, create: bool, needs: Needs) -> Result<KeyRingDoc, KeyRingError> {
        match load_doc(path) {
            Ok(l) => return Ok(l.doc),
            Err(KeyRingError::NotFound(_)) if create => {}
            Err(e) => return Err(e),
        }
        let mut doc = KeyRingDoc::empty();
        if needs.kek {
            doc.kek = Some(new_kek_section()?);
        }
        if needs.blind {
            doc.blind_index = Some(new_single()?);
        }
        if needs.ip {
            doc.ip_pseudonym = Some(new_single()?);
        }
        if needs.signing {
            let entry = new_signing_entry(1)?;
            doc.audit_signing = Some(SigningSection {
                current: entry.id.clone(),
                keys: vec![entry],
            });
        }
        let bytes = serialize_doc(&doc)?;
        if write_private(path, &bytes, Install::CreateNew)? {
            Ok(doc)
        } else {
            // Another process created it first: use theirs.
            Ok(load_doc(path)?.doc)
        }
    }

    /// A key ring with every secret generated in memory, for tests and demos. Nothing is
    /// persisted: data sealed under it is unreadable once it is dropped.
    pub fn ephemeral() -> Result<Self, KeyRingError> {
        let master = SecretKey::generate()?;
        let kek = StaticKeyProvider::new(&master, &[]).map_err(|_| RandomError)?;
        let seed = SecretKey::generate()?;
        let pk = CheckpointSigner::public_key_of_seed(&seed).map_err(|_| RandomError)?;
        let id = SigningKeyId::generated(
            format!("audit-{}", to_hex(&pk.as_bytes()[..4])),
            "audit-ephemeral",
        );
        Ok(Self {
            file: None,
            kek: Some(KekSource::Static(Arc::new(kek), KekSourceKind::Ephemeral)),
            blind_index: Some(SecretKey::generate()?),
            ip_pseudonym: Some(SecretKey::generate()?),
            signing: Some(SigningKeys {
                current: Some((id.clone(), seed)),
                public: vec![(id, pk)],
            }),
        })
    }

    /// The KEK provider. `Missing(Kek)` if none is configured.
    pub fn key_provider(&self) -> Result<Arc<dyn KeyProvider>, KeyRingError> {
        match &self.kek {
            Some(KekSource::File(p)) => Ok(Arc::clone(p) as Arc<dyn KeyProvider>),
            Some(KekSource::Static(p, _)) => Ok(Arc::clone(p) as Arc<dyn KeyProvider>),
            None => Err(KeyRingError::Missing(SecretKind::Kek)),
        }
    }

    /// The envelope-encryption vault. `Missing(Kek)` if no KEK is configured.
    pub fn vault(&self) -> Result<Vault, KeyRingError> {
        self.key_provider().map(Vault::new)
    }

    /// The blind index. `Missing(BlindIndex)` if its key is not configured.
    pub fn blind_index(&self) -> Result<BlindIndex, KeyRingError> {
        self.blind_index
            .as_ref()
            .map(BlindIndex::new)
            .ok_or(KeyRingError::Missing(SecretKind::BlindIndex))
    }

    /// The IP pseudonymizer. `Missing(IpPseudonym)` if its key is not configured: ingestion
    /// must stop (IPPS-01), never fall back to raw addresses.
    pub fn ip_pseudonymizer(&self) -> Result<IpPseudonymizer, KeyRingError> {
        self.ip_pseudonym
            .as_ref()
            .map(IpPseudonymizer::new)
            .ok_or(KeyRingError::Missing(SecretKind::IpPseudonym))
    }

    /// The current checkpoint signer. `Missing(AuditSigning)` if no signing seed is held.
    pub fn checkpoint_signer(&self) -> Result<CheckpointSigner, KeyRingError> {
        let (id, seed) = self
            .signing
            .as_ref()
            .and_then(|s| s.current.as_ref())
            .ok_or(KeyRingError::Missing(SecretKind::AuditSigning))?;
        CheckpointSigner::from_seed(id.clone(), seed).map_err(|_| KeyRingError::InvalidSecret {
            kind: SecretKind::AuditSigning,
            source: SecretFormatError::NotBase64,
        })
    }

    /// A verifier with the public keys of every signing key, current and retired.
    pub fn checkpoint_verifier(&self) -> Result<CheckpointVerifier, KeyRingError> {
        self.signing
            .as_ref()
            .map(|s| CheckpointVerifier::new(s.public.iter().cloned()))
            .ok_or(KeyRingError::Missing(SecretKind::AuditSigning))
    }

    /// Ids and sources (no secrets).
    pub fn status(&self) -> KeyRingStatus {
        let (kek_source, provider) = match &self.kek {
            Some(KekSource::File(p)) => (
                Some(KekSourceKind::File),
                Some(Arc::clone(p) as Arc<dyn KeyProvider>),
            ),
            Some(KekSource::Static(p, kind)) => {
                (Some(*kind), Some(Arc::clone(p) as Arc<dyn KeyProvider>))
            }
            None => (None, None),
        };
        KeyRingStatus {
            file: self.file.clone(),
            kek_source,
            current_kek: provider.as_ref().and_then(|p| p.current_kek().ok()),
            kek_ids: provider
                .as_ref()
                .and_then(|p| p.kek_ids().ok())
                .unwrap_or_default(),
            blind_index: self.blind_index.is_some(),
            ip_pseudonym: self.ip_pseudonym.is_some(),
            current_signing_key: self
                .signing
                .as_ref()
                .and_then(|s| s.current.as_ref().map(|(id, _)| id.clone())),
            signing_keys: self
                .signing
                .as_ref()
                .map(|s| s.public.clone())
                .unwrap_or_default(),
        }
    }

    fn file_provider(&self) -> Result<&Arc<FileKeyProvider>, KeyRingError> {
        match &self.kek {
            Some(KekSource::File(p)) => Ok(p),
            Some(KekSource::Static(..)) => Err(KeyRingError::RotationUnsupported(SecretKind::Kek)),
            None => Err(KeyRingError::Missing(SecretKind::Kek)),
        }
    }

    /// Adds a new KEK to the key ring file and makes it current; returns its id. Data keys are
    /// then re-wrapped by the caller ([`Vault::rewrap`]); running servers follow the file.
    pub fn rotate_kek(&self) -> Result<KekId, KeyRingError> {
        let provider = self.file_provider()?;
        let path = provider.path();
        let loaded = load_doc(path)?;
        let mut doc = loaded.doc;
        let section = doc
            .kek
            .as_mut()
            .ok_or(KeyRingError::Missing(SecretKind::Kek))?;
        let id = KekId::generated(
            new_versioned_id(
                "kek",
                next_version(section.keys.iter().map(|k| k.id.as_str())),
            )?,
            "kek-next",
        );
        section.keys.push(KekEntry {
            id: id.clone(),
            key: SecretKey::generate()?.to_base64(),
        });
        section.current = id.clone();
        write_private(path, &serialize_doc(&doc)?, Install::Replace(loaded.digest))?;
        provider.reload()?;
        Ok(id)
    }

    /// Removes an old KEK from the key ring file. Data keys still wrapped under it become
    /// unreadable, as do database backups holding such keys: the caller checks first that
    /// nothing live is wrapped under it (the store's `keys_wrapped_by`). The current KEK
    /// cannot be retired.
    pub fn retire_kek(&self, kek: &KekId) -> Result<(), KeyRingError> {
        let provider = self.file_provider()?;
        let path = provider.path();
        let loaded = load_doc(path)?;
        let mut doc = loaded.doc;
        let section = doc
            .kek
            .as_mut()
            .ok_or(KeyRingError::Missing(SecretKind::Kek))?;
        if section.current == *kek {
            return Err(KeyRingError::RetireCurrent(kek.clone()));
        }
        let before = section.keys.len();
        section.keys.retain(|k| k.id != *kek);
        if section.keys.len() == before {
            return Err(KeyRingError::UnknownKek(kek.clone()));
        }
        write_private(path, &serialize_doc(&doc)?, Install::Replace(loaded.digest))?;
        provider.reload()?;
        Ok(())
    }

    /// Adds a new audit signing key to the key ring file and makes it current; the previous
    /// key's seed is deleted and its public key kept, so old checkpoints still verify. Returns
    /// the new id. The running process signs with the new key after reloading the key ring.
    pub fn rotate_signing_key(&self) -> Result<SigningKeyId, KeyRingError> {
        let path = self
            .file
            .as_deref()
            .ok_or(KeyRingError::RotationUnsupported(SecretKind::AuditSigning))?;
        let loaded = load_doc(path)?;
        let mut doc = loaded.doc;
        let section = doc
            .audit_signing
            .as_mut()
            .ok_or(KeyRingError::RotationUnsupported(SecretKind::AuditSigning))?;
        let entry = new_signing_entry(next_version(section.keys.iter().map(|k| k.id.as_str())))?;
        let id = entry.id.clone();
        for old in &mut section.keys {
            old.seed = None;
        }
        section.keys.push(entry);
        section.current = id.clone();
        write_private(path, &serialize_doc(&doc)?, Install::Replace(loaded.digest))?;
        Ok(id)
    }
}

/// What a new file must contain (secrets not given explicitly).
#[derive(Clone, Copy)]
struct Needs {
    kek: bool,
    blind: bool,
    ip: bool,
    signing: bool,
}

/// One more than the highest `<prefix>-<n>-…` version among `ids`.
fn next_version<'a>(ids: impl Iterator<Item = &'a str>) -> usize {
    ids.filter_map(|id| id.split('-').nth(1)?.parse::<usize>().ok())
        .max()
        .unwrap_or(0)
        + 1
}

fn signing_of(path: &Path, s: &SigningSection) -> Result<SigningKeys, KeyRingError> {
    let mut public = Vec::with_capacity(s.keys.len());
    let mut current = None;
    for e in &s.keys {
        let pk = CheckpointPublicKey::from_base64(&e.public_key).map_err(|_| {
            invalid(
                path,
                "an audit signing public key is not base64 of 32 bytes",
            )
        })?;
        if let Some(seed_text) = &e.seed {
            let seed = parse_key(SecretKind::AuditSigning, seed_text)?;
            let derived = CheckpointSigner::public_key_of_seed(&seed)
                .map_err(|_| invalid(path, "an audit signing seed was rejected"))?;
            if derived != pk {
                return Err(invalid(
                    path,
                    "an audit signing seed does not match its public key",
                ));
            }
            if e.id == s.current {
                current = Some((e.id.clone(), seed));
            }
        }
        public.push((e.id.clone(), pk));
    }
    if current.is_none() {
        return Err(invalid(path, "the current audit signing key has no seed"));
    }
    Ok(SigningKeys { current, public })
}
