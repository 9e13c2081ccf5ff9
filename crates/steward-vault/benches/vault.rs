//! Vault crypto benchmarks: seal+open of a 200-byte value, data key unwrap (static and
//! file-backed KEKs), blind-index token, IP pseudonym (target ≤ 200 ns), Ed25519 checkpoint
//! signature and verification.
//!
//! Run: `cargo bench -p steward-vault --bench vault`.
#![expect(
    clippy::unwrap_used,
    reason = "benchmark code: a failed setup aborts the run"
)]

use std::hint::black_box;
use std::net::IpAddr;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use steward_vault::{
    ApiKeyHash, ApiKeySecret, IdentityKind, IpEpoch, KeyRing, KeySources, OwnerId, SecretKey,
    StaticKeyProvider, Vault, is_probable_pan, verify_checkpoint,
};

fn bench(c: &mut Criterion) {
    let ring = KeyRing::ephemeral().unwrap();
    let vault = ring.vault().unwrap();
    let owner = OwnerId::from_bytes([7; 16]);
    let (dk, wrapped) = vault.new_data_key(owner).unwrap();
    let value = [0x5Au8; 200];
    let aad = b"0190b8c2-7c1e-7000-8000-000000000001|0190b8c2-7c1e-7000-8000-000000000002|email";

    c.bench_function("seal+open 200 B", |b| {
        b.iter(|| {
            let ct = dk.seal(black_box(aad), black_box(&value)).unwrap();
            dk.open(black_box(aad), &ct).unwrap()
        })
    });
    let rng = ring::rand::SystemRandom::new();
    c.bench_function("baseline SystemRandom 12 B (nonce)", |b| {
        b.iter(|| {
            let mut n = [0u8; 12];
            ring::rand::SecureRandom::fill(&rng, &mut n).unwrap();
            n
        })
    });
    let ct = dk.seal(aad, &value).unwrap();
    c.bench_function("open 200 B", |b| {
        b.iter(|| dk.open(black_box(aad), black_box(&ct)).unwrap())
    });

    c.bench_function("unwrap data key (static KEK)", |b| {
        b.iter(|| vault.unwrap(black_box(owner), black_box(&wrapped)).unwrap())
    });
    c.bench_function("new data key + wrap", |b| {
        b.iter(|| vault.new_data_key(black_box(owner)).unwrap())
    });

    let static_vault = Vault::new(Arc::new(
        StaticKeyProvider::new(
            &SecretKey::from_bytes([1; 32]),
            &[SecretKey::from_bytes([2; 32])],
        )
        .unwrap(),
    ));
    let (_, w_static) = static_vault.new_data_key(owner).unwrap();
    c.bench_function("rewrap data key", |b| {
        b.iter(|| {
            static_vault
                .rewrap(black_box(owner), black_box(&w_static))
                .unwrap()
        })
    });

    let dir = tempfile::tempdir().unwrap();
    let file_ring = KeyRing::load(&KeySources {
        file: Some(dir.path().join("keyring.json")),
        create_if_missing: true,
        ..KeySources::default()
    })
    .unwrap();
    let file_vault = file_ring.vault().unwrap();
    let (_, w_file) = file_vault.new_data_key(owner).unwrap();
    c.bench_function("unwrap data key (file KEK, stat check)", |b| {
        b.iter(|| {
            file_vault
                .unwrap(black_box(owner), black_box(&w_file))
                .unwrap()
        })
    });

    let blind = ring.blind_index().unwrap();
    c.bench_function("blind index token (email, normalized)", |b| {
        b.iter(|| {
            blind
                .token(IdentityKind::Email, black_box(" Ada.Lovelace@Example.com"))
                .unwrap()
        })
    });
    c.bench_function("blind index token (cookie id)", |b| {
        b.iter(|| {
            blind
                .token(IdentityKind::Cookie, black_box("c-0190b8c2-7c1e-7000"))
                .unwrap()
        })
    });

    let ipp = ring.ip_pseudonymizer().unwrap();
    let key = ipp.for_epoch(IpEpoch::new(7));
    let v4: IpAddr = "203.0.113.7".parse().unwrap();
    let v6: IpAddr = "2001:db8:85a3::8a2e:370:7334".parse().unwrap();
    c.bench_function("ip token v4", |b| b.iter(|| key.token(black_box(v4))));
    // Baseline: ring's HMAC-SHA256 of the same 5-byte message with a prepared key.
    let raw = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, &[7u8; 32]);
    c.bench_function("baseline ring hmac::sign 5 B", |b| {
        b.iter(|| ring::hmac::sign(&raw, black_box(&[4u8, 203, 0, 113, 7])))
    });
    c.bench_function("ip token v6", |b| b.iter(|| key.token(black_box(v6))));
    c.bench_function("ip token from text v4", |b| {
        b.iter(|| key.token_str(black_box("203.0.113.7")).unwrap())
    });
    c.bench_function("ip epoch key derivation", |b| {
        b.iter(|| ipp.for_epoch(black_box(IpEpoch::new(8))))
    });

    let signer = ring.checkpoint_signer().unwrap();
    let msg = [0x11u8; 120];
    c.bench_function("ed25519 sign checkpoint", |b| {
        b.iter(|| signer.sign(black_box(&msg)))
    });
    let sig = signer.sign(&msg);
    let pk = signer.public_key();
    c.bench_function("ed25519 verify checkpoint", |b| {
        b.iter(|| verify_checkpoint(&pk, black_box(&msg), black_box(&sig)).unwrap())
    });

    let (api_key, api_hash) = ApiKeySecret::generate().unwrap();
    c.bench_function("api key verify", |b| {
        b.iter(|| api_hash.verify(black_box(api_key.expose())))
    });
    let _ = ApiKeyHash::of_presented(api_key.expose());
    c.bench_function("is_probable_pan", |b| {
        b.iter(|| is_probable_pan(black_box("4111 1111 1111 1111")))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
