//! Key ring loading, file permissions, sources and rotation, end to end through the public API.
#![expect(
    clippy::unwrap_used,
    reason = "test code: a failed step fails the test"
)]

use std::net::IpAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use steward_vault::{
    IdentityKind, IpEpoch, KekSourceKind, KeyRing, KeyRingError, KeySources, OwnerId, SecretKey,
    SecretKind, SecretString, SignatureCheck, Vault, VaultError, WrappedDataKey,
};

fn file_sources(path: &Path) -> KeySources {
    KeySources {
        file: Some(path.to_owned()),
        create_if_missing: true,
        ..KeySources::default()
    }
}

fn keyring_path(dir: &tempfile::TempDir) -> PathBuf {
    dir.path().join("data").join("keyring.json")
}

fn b64(key: &SecretKey) -> SecretString {
    key.to_base64()
}

#[cfg(unix)]
fn mode_of(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt as _;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[test]
#[cfg(unix)]
fn first_run_creates_a_0600_file_with_every_secret_and_reloads_the_same_keys() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    let ring = KeyRing::load(&file_sources(&path)).unwrap();
    assert_eq!(mode_of(&path), 0o600);
    let status = ring.status();
    assert_eq!(status.kek_source, Some(KekSourceKind::File));
    assert!(status.blind_index && status.ip_pseudonym);
    assert!(status.current_signing_key.is_some());
    // no temporary files left behind
    let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(names.len(), 1, "{names:?}");

    // Everything survives a restart: same KEK, same blind index, same IP tokens, same signer.
    let owner = OwnerId::from_bytes([1; 16]);
    let (dk, wrapped) = ring.vault().unwrap().new_data_key(owner).unwrap();
    let ct = dk.seal(b"aad", b"ada@example.com").unwrap();
    let token = ring
        .blind_index()
        .unwrap()
        .token(IdentityKind::Email, "ada@example.com")
        .unwrap();
    let ip: IpAddr = "203.0.113.7".parse().unwrap();
    let ip_token = ring
        .ip_pseudonymizer()
        .unwrap()
        .for_epoch(IpEpoch::new(1))
        .token(ip);
    let sig = ring.checkpoint_signer().unwrap().sign(b"head");
    let signer_id = ring.checkpoint_signer().unwrap().key_id().clone();
    drop(ring);

    let again = KeyRing::load(&KeySources {
        create_if_missing: false,
        ..file_sources(&path)
    })
    .unwrap();
    let dk2 = again.vault().unwrap().unwrap(owner, &wrapped).unwrap();
    assert_eq!(
        dk2.open(b"aad", &ct).unwrap().as_slice(),
        b"ada@example.com"
    );
    assert_eq!(
        again
            .blind_index()
            .unwrap()
            .token(IdentityKind::Email, " ADA@example.com")
            .unwrap(),
        token
    );
    assert_eq!(
        again
            .ip_pseudonymizer()
            .unwrap()
            .for_epoch(IpEpoch::new(1))
            .token(ip),
        ip_token
    );
    assert_eq!(
        again
            .checkpoint_verifier()
            .unwrap()
            .check(signer_id.as_str(), b"head", &sig),
        SignatureCheck::Valid
    );

    // The file holds no plaintext of what was sealed, obviously, and parses as JSON.
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains("\"format\": \"steward-keyring\""));
}

#[test]
#[cfg(unix)]
fn a_group_or_world_accessible_key_file_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    KeyRing::load(&file_sources(&path)).unwrap();
    for mode in [0o644, 0o640, 0o604, 0o620] {
        set_mode(&path, mode);
        match KeyRing::load(&file_sources(&path)) {
            Err(KeyRingError::InsecurePermissions { mode: m, .. }) => assert_eq!(m, mode),
            other => panic!("mode {mode:o}: {other:?}"),
        }
    }
    let msg = KeyRing::load(&file_sources(&path)).unwrap_err().to_string();
    assert!(msg.contains("chmod 600"), "{msg}");
    set_mode(&path, 0o400);
    assert!(KeyRing::load(&file_sources(&path)).is_ok());
}

#[test]
fn a_missing_file_is_an_error_unless_creation_is_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    let err = KeyRing::load(&KeySources {
        create_if_missing: false,
        ..file_sources(&path)
    })
    .unwrap_err();
    assert!(matches!(err, KeyRingError::NotFound(_)), "{err:?}");
    assert!(!path.exists());
}

#[test]
#[cfg(unix)]
fn a_malformed_file_is_refused_without_echoing_its_content() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keyring.json");
    std::fs::write(&path, "{\"format\": \"steward-keyring\", \"version\": 1, \"kek\": \"c2VjcmV0LWtleS1tYXRlcmlhbA==\"}").unwrap();
    set_mode(&path, 0o600);
    let err = KeyRing::load(&file_sources(&path)).unwrap_err();
    assert!(matches!(err, KeyRingError::Malformed { .. }), "{err:?}");
    assert!(!err.to_string().contains("c2VjcmV0"), "{err}");

    std::fs::write(&path, "{\"format\": \"steward-keyring\", \"version\": 2}").unwrap();
    assert!(matches!(
        KeyRing::load(&file_sources(&path)).unwrap_err(),
        KeyRingError::UnsupportedVersion { found: 2, .. }
    ));
}

#[test]
fn ipps_01_a_missing_ip_key_is_a_typed_error_and_an_ingest_only_ring_has_only_it() {
    let ip_key = SecretKey::generate().unwrap();
    let ring = KeyRing::load(&KeySources {
        ip_pseudonym_key: Some(b64(&ip_key)),
        ..KeySources::default()
    })
    .unwrap();
    assert!(ring.ip_pseudonymizer().is_ok());
    for (result, kind) in [
        (ring.vault().map(|_| ()), SecretKind::Kek),
        (ring.blind_index().map(|_| ()), SecretKind::BlindIndex),
        (
            ring.checkpoint_signer().map(|_| ()),
            SecretKind::AuditSigning,
        ),
    ] {
        match result {
            Err(KeyRingError::Missing(k)) => assert_eq!(k, kind),
            other => panic!("{other:?}"),
        }
    }

    let empty = KeyRing::load(&KeySources::default()).unwrap();
    let err = empty.ip_pseudonymizer().unwrap_err();
    assert!(matches!(
        err,
        KeyRingError::Missing(SecretKind::IpPseudonym)
    ));
    assert!(err.to_string().contains("never stored raw"), "{err}");
}

#[test]
fn gdpr_29_secrets_are_independent() {
    // The same bytes as blind-index key and IP key give unrelated outputs, and an IP key
    // cannot compute blind tokens (it is another secret altogether).
    let k = SecretKey::from_bytes([5; 32]);
    let ring = KeyRing::load(&KeySources {
        blind_index_key: Some(b64(&k)),
        ip_pseudonym_key: Some(b64(&k)),
        ..KeySources::default()
    })
    .unwrap();
    let ip = ring.ip_pseudonymizer().unwrap().for_epoch(IpEpoch::new(0));
    let tok = ip.token("10.0.0.1".parse().unwrap());
    let blind = ring
        .blind_index()
        .unwrap()
        .token(IdentityKind::Cookie, "10.0.0.1")
        .unwrap();
    assert_ne!(&blind.as_bytes()[..16], tok.as_bytes());
}

#[test]
fn a_secret_given_twice_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    KeyRing::load(&file_sources(&path)).unwrap();
    let key = SecretKey::generate().unwrap();
    for (sources, kind) in [
        (
            KeySources {
                master_key: Some(b64(&key)),
                ..file_sources(&path)
            },
            SecretKind::Kek,
        ),
        (
            KeySources {
                blind_index_key: Some(b64(&key)),
                ..file_sources(&path)
            },
            SecretKind::BlindIndex,
        ),
        (
            KeySources {
                ip_pseudonym_key: Some(b64(&key)),
                ..file_sources(&path)
            },
            SecretKind::IpPseudonym,
        ),
        (
            KeySources {
                audit_signing_key: Some(b64(&key)),
                ..file_sources(&path)
            },
            SecretKind::AuditSigning,
        ),
    ] {
        match KeyRing::load(&sources) {
            Err(KeyRingError::Conflict(k)) => assert_eq!(k, kind),
            other => panic!("{kind:?}: {other:?}"),
        }
    }
    let key_file = dir.path().join("master.key");
    std::fs::write(&key_file, b64(&key).expose()).unwrap();
    assert!(matches!(
        KeyRing::load(&KeySources {
            master_key: Some(b64(&key)),
            master_key_file: Some(key_file),
            ..KeySources::default()
        }),
        Err(KeyRingError::Conflict(SecretKind::Kek))
    ));
}

#[test]
fn master_key_mode_with_a_file_for_the_other_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    let master = SecretKey::generate().unwrap();
    let key_file = dir.path().join("master.key");
    std::fs::write(&key_file, format!("{}\n", b64(&master).expose())).unwrap();
    let sources = KeySources {
        master_key_file: Some(key_file),
        ..file_sources(&path)
    };
    let ring = KeyRing::load(&sources).unwrap();
    let status = ring.status();
    assert_eq!(status.kek_source, Some(KekSourceKind::MasterKey));
    assert!(status.current_kek.unwrap().as_str().starts_with("mk-"));
    assert!(status.blind_index && status.ip_pseudonym);
    // the created file has no KEK section (the master key is the KEK)
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(!text.contains("\"kek\""), "{text}");
    // the master key from a value is the same KEK
    let by_value = KeyRing::load(&KeySources {
        master_key: Some(b64(&master)),
        ..KeySources::default()
    })
    .unwrap();
    assert_eq!(by_value.status().current_kek, ring.status().current_kek);
    // rotation is done at the source
    assert!(matches!(
        ring.rotate_kek(),
        Err(KeyRingError::RotationUnsupported(SecretKind::Kek))
    ));
    // invalid master key
    let err = KeyRing::load(&KeySources {
        master_key: Some(SecretString::from("dG9vLXNob3J0")),
        ..KeySources::default()
    })
    .unwrap_err();
    assert!(
        matches!(
            err,
            KeyRingError::InvalidSecret {
                kind: SecretKind::Kek,
                ..
            }
        ),
        "{err:?}"
    );
}

#[test]
fn master_key_rotation_with_a_previous_key() {
    let old = SecretKey::generate().unwrap();
    let new = SecretKey::generate().unwrap();
    let owner = OwnerId::from_bytes([7; 16]);
    let v_old = KeyRing::load(&KeySources {
        master_key: Some(b64(&old)),
        ..KeySources::default()
    })
    .unwrap()
    .vault()
    .unwrap();
    let (dk, w_old) = v_old.new_data_key(owner).unwrap();
    let ct = dk.seal(b"x", b"value").unwrap();

    let rotating = KeyRing::load(&KeySources {
        master_key: Some(b64(&new)),
        previous_master_keys: vec![b64(&old)],
        ..KeySources::default()
    })
    .unwrap();
    assert_eq!(rotating.status().kek_ids.len(), 2);
    let v = rotating.vault().unwrap();
    assert!(v.needs_rewrap(&w_old).unwrap());
    let w_new = v.rewrap(owner, &w_old).unwrap();

    let done = KeyRing::load(&KeySources {
        master_key: Some(b64(&new)),
        ..KeySources::default()
    })
    .unwrap()
    .vault()
    .unwrap();
    assert_eq!(
        done.unwrap(owner, &w_new)
            .unwrap()
            .open(b"x", &ct)
            .unwrap()
            .as_slice(),
        b"value"
    );
    assert!(matches!(
        done.unwrap(owner, &w_old),
        Err(VaultError::UnknownKek(_))
    ));
}

#[test]
fn file_kek_rotation_rewrap_and_retirement_followed_by_a_running_provider() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    // "server" and "cli" are two processes sharing the file.
    let server = KeyRing::load(&file_sources(&path)).unwrap();
    let server_vault = server.vault().unwrap();
    let first = server.status().current_kek.unwrap();
    assert!(first.as_str().starts_with("kek-1-"));

    let owner = OwnerId::from_bytes([9; 16]);
    let (dk, w1) = server_vault.new_data_key(owner).unwrap();
    let ct = dk.seal(b"row", b"ada").unwrap();

    let cli = KeyRing::load(&file_sources(&path)).unwrap();
    let second = cli.rotate_kek().unwrap();
    assert!(second.as_str().starts_with("kek-2-"));
    assert_ne!(second, first);

    // The running server follows the file: new keys go under the new KEK.
    let (_, w_fresh) = server_vault
        .new_data_key(OwnerId::from_bytes([10; 16]))
        .unwrap();
    assert_eq!(w_fresh.kek(), &second);

    // The CLI re-wraps; the server can unwrap the re-wrapped key.
    let cli_vault = cli.vault().unwrap();
    let w2 = cli_vault.rewrap(owner, &w1).unwrap();
    assert_eq!(w2.kek(), &second);
    let dk2 = server_vault.unwrap(owner, &w2).unwrap();
    assert_eq!(dk2.open(b"row", &ct).unwrap().as_slice(), b"ada");

    // The current KEK cannot be retired; the old one can, and then only old wraps fail.
    assert!(matches!(
        cli.retire_kek(&second),
        Err(KeyRingError::RetireCurrent(_))
    ));
    cli.retire_kek(&first).unwrap();
    assert!(matches!(
        cli.retire_kek(&first),
        Err(KeyRingError::UnknownKek(_))
    ));
    assert!(matches!(
        server_vault.unwrap(owner, &w1),
        Err(VaultError::UnknownKek(_))
    ));
    assert!(server_vault.unwrap(owner, &w2).is_ok());
    #[cfg(unix)]
    assert_eq!(mode_of(&path), 0o600);
}

#[test]
fn ret_04_dm_02_a_backup_taken_before_erasure_is_unreadable_after_it() {
    // The live store loses the wrapped key at erasure (a tombstone): decrypting a backup copy
    // of a value through the live system is `KeyDestroyed`.
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    let ring = KeyRing::load(&file_sources(&path)).unwrap();
    let vault = ring.vault().unwrap();
    let owner = OwnerId::from_bytes([3; 16]);
    let (dk, wrapped) = vault.new_data_key(owner).unwrap();
    let backup_value = dk.seal(b"item-1", b"ada@example.com").unwrap();
    let backup_wrapped: WrappedDataKey = wrapped.clone();
    drop(dk);

    // erase: the store destroys the wrapped key and keeps a tombstone
    let live: Option<&WrappedDataKey> = None;
    assert!(matches!(
        vault.unwrap_stored(owner, live),
        Err(VaultError::KeyDestroyed(o)) if o == owner
    ));

    // A full database backup also holds the wrapped key: it stays readable only while the
    // KEK that wrapped it exists. Rotate, re-wrap live keys, retire the old KEK: gone for good.
    let old = ring.status().current_kek.unwrap();
    ring.rotate_kek().unwrap();
    ring.retire_kek(&old).unwrap();
    assert!(matches!(
        vault.unwrap(owner, &backup_wrapped),
        Err(VaultError::UnknownKek(_))
    ));
    let _ = backup_value;
}

#[test]
fn signing_key_rotation_keeps_old_checkpoints_verifiable() {
    let dir = tempfile::tempdir().unwrap();
    let path = keyring_path(&dir);
    let ring = KeyRing::load(&file_sources(&path)).unwrap();
    let old = ring.checkpoint_signer().unwrap();
    let old_sig = old.sign(b"cp-1");
    let new_id = ring.rotate_signing_key().unwrap();
    assert!(new_id.as_str().starts_with("audit-2-"));

    let reloaded = KeyRing::load(&file_sources(&path)).unwrap();
    let signer = reloaded.checkpoint_signer().unwrap();
    assert_eq!(signer.key_id(), &new_id);
    let verifier = reloaded.checkpoint_verifier().unwrap();
    assert_eq!(
        verifier.check(old.key_id().as_str(), b"cp-1", &old_sig),
        SignatureCheck::Valid
    );
    assert_eq!(
        verifier.check(new_id.as_str(), b"cp-2", &signer.sign(b"cp-2")),
        SignatureCheck::Valid
    );
    // the retired seed is gone from the file
    let text = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text.matches("\"seed\"").count(), 1);
}

#[test]
fn concurrent_first_runs_agree_on_one_key_ring() {
    let dir = tempfile::tempdir().unwrap();
    let path = Arc::new(keyring_path(&dir));
    let handles: Vec<_> = (0..4)
        .map(|_| {
            let p = Arc::clone(&path);
            std::thread::spawn(move || {
                KeyRing::load(&file_sources(&p))
                    .unwrap()
                    .status()
                    .current_kek
            })
        })
        .collect();
    let ids: Vec<_> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(ids.windows(2).all(|w| w[0] == w[1]), "{ids:?}");
}

#[test]
fn ephemeral_ring_has_everything_and_debug_shows_no_secret() {
    let ring = KeyRing::ephemeral().unwrap();
    let vault: Vault = ring.vault().unwrap();
    let (dk, _) = vault.new_data_key(OwnerId::from_bytes([1; 16])).unwrap();
    assert!(dk.seal(b"", b"x").is_ok());
    assert!(ring.blind_index().is_ok() && ring.ip_pseudonymizer().is_ok());
    let dbg = format!("{ring:?}");
    assert!(dbg.contains("Ephemeral"), "{dbg}");

    let key = SecretKey::from_bytes([0xAB; 32]);
    let r = KeyRing::load(&KeySources {
        master_key: Some(b64(&key)),
        blind_index_key: Some(b64(&key)),
        ..KeySources::default()
    })
    .unwrap();
    let dbg = format!("{r:?} {:?}", r.vault().unwrap());
    let b64text = b64(&key).expose().to_owned();
    assert!(!dbg.contains(&b64text[..12]), "{dbg}");
    assert!(!dbg.to_lowercase().contains("abababab"), "{dbg}");
}
