//! HTTPS: the certificate chain and private key from PEM files, served with rustls.
//!
//! `tls_cert` and `tls_key` go together: both set serves HTTPS, neither serves plain HTTP (for
//! loopback or behind a TLS-terminating proxy), one alone is a startup error naming the other, so
//! a typo never silently downgrades to plain HTTP. The files are read and checked here, before
//! the port is bound, and every failure names the option and the file. The crypto provider is
//! aws-lc-rs, the one the workspace already builds for reqwest, chosen explicitly so that a
//! second provider elsewhere in a build cannot make the choice ambiguous.

use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, bail};
use rustls::ServerConfig;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};

/// The rustls configuration for `tls_cert` and `tls_key`, or `None` for plain HTTP.
pub fn load(cert: Option<&Path>, key: Option<&Path>) -> anyhow::Result<Option<Arc<ServerConfig>>> {
    match (cert, key) {
        (None, None) => Ok(None),
        (Some(cert), None) => bail!(
            "tls_key is missing: tls_cert is set ({}), and HTTPS needs its private key too; set \
             tls_key (--tls-key), or unset tls_cert to serve plain HTTP",
            cert.display()
        ),
        (None, Some(key)) => bail!(
            "tls_cert is missing: tls_key is set ({}), and HTTPS needs its certificate chain too; \
             set tls_cert (--tls-cert), or unset tls_key to serve plain HTTP",
            key.display()
        ),
        (Some(cert), Some(key)) => Ok(Some(Arc::new(server_config(cert, key)?))),
    }
}

/// Reads both PEM files and builds a server configuration offering HTTP/2 and HTTP/1.1.
pub fn server_config(cert: &Path, key: &Path) -> anyhow::Result<ServerConfig> {
    let chain = certificates(cert)?;
    let key_der = private_key(key)?;
    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .context("rustls: the crypto provider supports no default protocol version")?
        .with_no_client_auth()
        .with_single_cert(chain, key_der)
        .with_context(|| {
            format!(
                "tls_cert/tls_key: {} and {} do not make a usable certificate and key (does the \
                 key belong to the certificate?)",
                cert.display(),
                key.display()
            )
        })?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

fn read(option: &str, path: &Path) -> anyhow::Result<Vec<u8>> {
    std::fs::read(path).with_context(|| format!("{option}: cannot read {}", path.display()))
}

fn certificates(path: &Path) -> anyhow::Result<Vec<CertificateDer<'static>>> {
    let pem = read("tls_cert", path)?;
    let chain = CertificateDer::pem_slice_iter(&pem)
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| anyhow::anyhow!("tls_cert: {} is not a valid PEM file: {e}", path.display()))?;
    if chain.is_empty() {
        bail!(
            "tls_cert: {} holds no certificate (expected PEM blocks starting with \
             -----BEGIN CERTIFICATE-----, the server's certificate first)",
            path.display()
        );
    }
    Ok(chain)
}

fn private_key(path: &Path) -> anyhow::Result<PrivateKeyDer<'static>> {
    let pem = read("tls_key", path)?;
    PrivateKeyDer::from_pem_slice(&pem).map_err(|e| {
        anyhow::anyhow!(
            "tls_key: {} holds no usable private key ({e}); expected an unencrypted PEM key \
             (-----BEGIN PRIVATE KEY-----, RSA PRIVATE KEY or EC PRIVATE KEY)",
            path.display()
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn self_signed(dir: &Path) -> (std::path::PathBuf, std::path::PathBuf) {
        let generated = rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
        let (cert, key) = (dir.join("cert.pem"), dir.join("key.pem"));
        std::fs::write(&cert, generated.cert.pem()).unwrap();
        std::fs::write(&key, generated.signing_key.serialize_pem()).unwrap();
        (cert, key)
    }

    fn error(cert: Option<&Path>, key: Option<&Path>) -> String {
        format!("{:#}", load(cert, key).expect_err("an error"))
    }

    #[test]
    fn neither_file_means_plain_http() {
        assert!(load(None, None).unwrap().is_none());
    }

    #[test]
    fn a_certificate_and_its_key_make_a_config_offering_http2_and_http1() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed(dir.path());
        let config = server_config(&cert, &key).unwrap();
        assert_eq!(config.alpn_protocols, vec![b"h2".to_vec(), b"http/1.1".to_vec()]);
    }

    #[test]
    fn one_file_alone_is_an_error_naming_the_missing_option() {
        let err = error(Some(Path::new("cert.pem")), None);
        assert!(err.starts_with("tls_key is missing"), "{err}");
        let err = error(None, Some(Path::new("key.pem")));
        assert!(err.starts_with("tls_cert is missing"), "{err}");
    }

    #[test]
    fn an_unreadable_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed(dir.path());
        let missing = dir.path().join("nope.pem");
        let err = error(Some(&missing), Some(&key));
        assert!(err.contains("tls_cert: cannot read") && err.contains("nope.pem"), "{err}");
        let err = error(Some(&cert), Some(&missing));
        assert!(err.contains("tls_key: cannot read") && err.contains("nope.pem"), "{err}");
    }

    #[test]
    fn a_file_that_is_not_pem_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, key) = self_signed(dir.path());
        let junk = dir.path().join("junk.pem");
        std::fs::write(&junk, "not a certificate\n").unwrap();
        let err = error(Some(&junk), Some(&key));
        assert!(
            err.contains("tls_cert") && err.contains("junk.pem") && err.contains("no certificate"),
            "{err}"
        );
        let err = error(Some(&cert), Some(&junk));
        assert!(err.contains("tls_key") && err.contains("junk.pem"), "{err}");
        // The two swapped: a key where the certificate goes, and the other way round.
        let err = error(Some(&key), Some(&cert));
        assert!(err.contains("tls_"), "{err}");
    }

    #[test]
    fn a_key_of_another_certificate_is_refused_naming_both_files() {
        let dir = tempfile::tempdir().unwrap();
        let (cert, _) = self_signed(dir.path());
        let other = dir.path().join("other");
        std::fs::create_dir(&other).unwrap();
        let (_, other_key) = self_signed(&other);
        let err = error(Some(&cert), Some(&other_key));
        assert!(err.contains("cert.pem") && err.contains("key.pem") && err.contains("belong"), "{err}");
    }
}
