//! How the store reaches PostgreSQL: the URL's `sslmode` (and `sslrootcert`) honoured with
//! rustls, on aws-lc-rs (the provider the rest of the server uses; no OpenSSL).
//!
//! The modes mean what libpq says they mean, so a URL that works with `psql` works here:
//!
//! | `sslmode` | TLS | the server's certificate |
//! | --- | --- | --- |
//! | `disable` | never | - |
//! | `prefer` (the default) | if the server offers it | not checked |
//! | `require` | always | not checked (checked as `verify-ca` when `sslrootcert` is given) |
//! | `verify-ca` | always | issued by a trusted root |
//! | `verify-full` | always | issued by a trusted root, for the host connected to |
//!
//! The trusted roots are the PEM file `sslrootcert=PATH`, or the system's
//! (`sslrootcert=system`, also what `verify-*` use when none is given; libpq would look for
//! `~/.postgresql/root.crt`). "Not checked" still checks the handshake's signatures: the
//! connection is encrypted, only the server is not authenticated, exactly as with libpq; use
//! `verify-full` where the network between server and database is not trusted. One difference:
//! if the TLS handshake itself fails under `prefer`, libpq tries again without TLS, this store
//! reports the failure.

use std::path::PathBuf;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme};
use tokio_postgres::config::SslMode;
use tokio_postgres_rustls::MakeRustlsConnect;

use crate::error::{StoreError, StoreResult};

/// What `sslmode` asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Mode {
    Disable,
    Prefer,
    Require,
    VerifyCa,
    VerifyFull,
}

/// A database URL split into what tokio-postgres reads and what this module does.
#[derive(Debug)]
pub(super) struct Target {
    pub(super) config: tokio_postgres::Config,
    pub(super) mode: Mode,
    /// `sslrootcert`: a PEM file, or `None` for the system's roots.
    pub(super) root_cert: Option<PathBuf>,
}

impl Target {
    /// Reads `url`: `postgres://user:password@host:port/db?sslmode=...&sslrootcert=...`.
    pub(super) fn parse(url: &str) -> StoreResult<Target> {
        let (base, query) = url.split_once('?').unwrap_or((url, ""));
        let (mut mode, mut root_cert) = (Mode::Prefer, None);
        let mut rest = Vec::new();
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decoded = percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned();
            match key {
                "sslmode" => mode = parse_mode(&decoded)?,
                "sslrootcert" if decoded == "system" => root_cert = None,
                "sslrootcert" => root_cert = Some(PathBuf::from(decoded)),
                _ => rest.push(pair),
            }
        }
        let rebuilt = if rest.is_empty() { base.to_owned() } else { format!("{base}?{}", rest.join("&")) };
        let mut config: tokio_postgres::Config = rebuilt.parse().map_err(|e| {
            StoreError::Database(format!("not a PostgreSQL URL ({e}); expected postgres://user@host/db"))
        })?;
        // libpq: `require` with a root certificate checks the chain, as `verify-ca`.
        if mode == Mode::Require && root_cert.is_some() {
            mode = Mode::VerifyCa;
        }
        config.ssl_mode(match mode {
            Mode::Disable => SslMode::Disable,
            Mode::Prefer => SslMode::Prefer,
            Mode::Require | Mode::VerifyCa | Mode::VerifyFull => SslMode::Require,
        });
        Ok(Target { config, mode, root_cert })
    }

    /// The TLS connector for this mode (never used by `disable`).
    pub(super) fn connector(&self) -> StoreResult<MakeRustlsConnect> {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let builder = ClientConfig::builder_with_provider(Arc::clone(&provider))
            .with_safe_default_protocol_versions()
            .map_err(|e| StoreError::Database(format!("rustls: {e}")))?;
        let config = match self.mode {
            Mode::Disable | Mode::Prefer | Mode::Require => builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
                .with_no_client_auth(),
            Mode::VerifyCa | Mode::VerifyFull => {
                let roots = Arc::new(self.roots()?);
                let webpki =
                    WebPkiServerVerifier::builder_with_provider(roots, provider).build().map_err(|e| {
                        StoreError::Database(format!("sslrootcert: no usable root certificate ({e})"))
                    })?;
                let verifier: Arc<dyn ServerCertVerifier> =
                    if self.mode == Mode::VerifyCa { Arc::new(AnyName(webpki)) } else { webpki };
                builder.dangerous().with_custom_certificate_verifier(verifier).with_no_client_auth()
            }
        };
        Ok(MakeRustlsConnect::new(config))
    }

    fn roots(&self) -> StoreResult<RootCertStore> {
        let mut roots = RootCertStore::empty();
        match &self.root_cert {
            Some(path) => {
                let certs = CertificateDer::pem_file_iter(path)
                    .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                    .map_err(|e| {
                        StoreError::Database(format!("sslrootcert: cannot read {} ({e})", path.display()))
                    })?;
                let (added, _) = roots.add_parsable_certificates(certs);
                if added == 0 {
                    return Err(StoreError::Database(format!(
                        "sslrootcert: {} holds no usable certificate (expected PEM, -----BEGIN CERTIFICATE-----)",
                        path.display()
                    )));
                }
            }
            None => {
                let found = rustls_native_certs::load_native_certs();
                roots.add_parsable_certificates(found.certs);
                if roots.is_empty() {
                    return Err(StoreError::Database(
                        "sslmode=verify-*: the system has no root certificates; name one with sslrootcert=PATH"
                            .into(),
                    ));
                }
            }
        }
        Ok(roots)
    }
}

fn parse_mode(value: &str) -> StoreResult<Mode> {
    Ok(match value {
        "disable" => Mode::Disable,
        // libpq's `allow` tries without TLS first; this store does not, and `prefer` is the
        // nearest that never refuses a server libpq would accept.
        "allow" | "prefer" => Mode::Prefer,
        "require" => Mode::Require,
        "verify-ca" => Mode::VerifyCa,
        "verify-full" => Mode::VerifyFull,
        other => {
            return Err(StoreError::Database(format!(
                "sslmode={other} is not one of disable, prefer, require, verify-ca, verify-full"
            )));
        }
    })
}

/// `prefer` and `require`: any certificate, but the handshake must be signed by its key (so
/// the connection is encrypted to whoever holds it).
#[derive(Debug)]
struct EncryptOnly(Arc<CryptoProvider>);

impl ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.0.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `verify-ca`: the chain is checked by webpki; only a certificate for another name is let
/// through (webpki checks the name last, after the chain).
#[derive(Debug)]
struct AnyName(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for AnyName {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, rustls::Error> {
        match self.0.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sslmode_and_sslrootcert_are_read_and_the_rest_goes_to_tokio_postgres() {
        let t = Target::parse(
            "postgres://u@h:5433/db?application_name=x&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(t.mode, Mode::VerifyFull);
        assert_eq!(t.root_cert, Some(PathBuf::from("/etc/ca.pem")));
        assert_eq!(t.config.get_ssl_mode(), SslMode::Require);
        assert_eq!(t.config.get_application_name(), Some("x"));
        assert_eq!(t.config.get_dbname(), Some("db"));
    }

    #[test]
    fn without_sslmode_tls_is_preferred_as_with_libpq() {
        let t = Target::parse("postgres://u@h/db").unwrap();
        assert_eq!((t.mode, t.config.get_ssl_mode()), (Mode::Prefer, SslMode::Prefer));
        let t = Target::parse("postgres://u@h/db?sslmode=disable").unwrap();
        assert_eq!((t.mode, t.config.get_ssl_mode()), (Mode::Disable, SslMode::Disable));
    }

    #[test]
    fn require_with_a_root_certificate_checks_the_chain() {
        let t = Target::parse("postgres://u@h/db?sslmode=require&sslrootcert=ca.pem").unwrap();
        assert_eq!(t.mode, Mode::VerifyCa);
    }

    #[test]
    fn an_unknown_sslmode_is_an_error_listing_the_choices() {
        let err = Target::parse("postgres://u@h/db?sslmode=strict").unwrap_err().to_string();
        assert!(err.contains("sslmode=strict") && err.contains("verify-full"), "{err}");
    }

    #[test]
    fn a_missing_root_certificate_file_is_named() {
        let t =
            Target::parse("postgres://u@h/db?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem").unwrap();
        let err = t.connector().err().expect("an error").to_string();
        assert!(err.contains("sslrootcert") && err.contains("/nonexistent/ca.pem"), "{err}");
    }
}
