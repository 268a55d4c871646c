//! `claimgraph.toml`: the settings file.
//!
//! The file is read into [`RawConfig`] (every field optional, unknown keys rejected so a
//! typo is an error, not a silently ignored setting), then resolved against the
//! defaults into [`Config`], which has no options left. Flags override the file.
//! Threads and log level are flags, not settings.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

/// The file as written. Every key is optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawConfig {
    /// Where the database lives.
    #[serde(default)]
    pub store: RawStore,
    /// How documents are fetched over HTTP(S).
    #[serde(default)]
    pub fetch: RawFetch,
    /// How documents are written.
    #[serde(default)]
    pub ingest: RawIngest,
    /// Admiralty reliability grades (A–F) of sources, by outlet name or web domain.
    #[serde(default)]
    pub reliability: std::collections::BTreeMap<String, String>,
    /// The web UI and HTTP API (`claimgraph serve`).
    #[serde(default)]
    pub server: RawServer,
    /// The per-document budget of the analysis.
    #[serde(default)]
    pub extract: RawExtract,
}

/// The per-document budget: a document over it is reported as failed (too large, too
/// slow) and the batch goes on.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawExtract {
    /// Largest document analysed, in bytes (default 10 MB, at most 50 MiB).
    pub max_document_bytes: Option<u64>,
    /// Longest analysis of one document, in seconds (default 60).
    pub max_seconds_per_document: Option<f64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawServer {
    /// Access tokens; with any set, every request needs one (and only then may the
    /// server listen beyond this machine).
    #[serde(default)]
    pub tokens: Vec<RawToken>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawToken {
    pub token: String,
    /// "read" (the default) or "analyst".
    pub role: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawStore {
    /// Path of the SQLite database file (default `claimgraph.db`), relative to the
    /// directory of the configuration file.
    pub path: Option<PathBuf>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawFetch {
    /// Seconds to wait for a connection (default 10).
    pub connect_timeout_secs: Option<u64>,
    /// Seconds to wait for each read from the server (default 20).
    pub read_timeout_secs: Option<u64>,
    /// Seconds one fetch may take in all, redirects and body included (default 60): a
    /// server sending a byte now and then cannot hold a fetch longer than this.
    pub deadline_secs: Option<u64>,
    /// Largest response body accepted, in bytes (default 10 MB).
    pub max_body_bytes: Option<u64>,
    /// Redirects followed before giving up (default 5).
    pub max_redirects: Option<u32>,
    /// Milliseconds between two requests to the same host (default 1000).
    pub per_host_delay_ms: Option<u64>,
    /// The User-Agent header sent with every request.
    pub user_agent: Option<String>,
    /// Allow private, loopback and link-local addresses (default false: refused).
    pub allow_private: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawIngest {
    /// Documents written per transaction (default 200).
    pub batch_size: Option<usize>,
    /// `claimgraph watch` gives up on a feed after this many failed polls in a row
    /// (default 5; `--give-up-after` overrides it).
    pub watch_give_up_after: Option<u32>,
}

/// Settings with every default applied.
#[derive(Debug, Clone)]
pub struct Config {
    pub store_path: PathBuf,
    pub fetch: FetchConfig,
    pub batch_size: usize,
    /// Failed polls in a row after which `watch` gives up on a feed (at least 1).
    pub watch_give_up_after: u32,
    /// (source name or domain, grade A–F), checked.
    pub reliability: Vec<(String, char)>,
    /// (token, role: "read" or "analyst"), checked.
    pub tokens: Vec<(String, String)>,
    /// The per-document budget, checked.
    pub extract: claimgraph_extract::Options,
}

#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    /// The whole of one fetch, redirects and body included.
    pub deadline: Duration,
    pub max_body_bytes: u64,
    pub max_redirects: u32,
    pub per_host_delay: Duration,
    pub user_agent: String,
    pub allow_private: bool,
}

impl Default for FetchConfig {
    fn default() -> Self {
        RawFetch::default().resolve()
    }
}

pub const DEFAULT_USER_AGENT: &str =
    concat!("claimgraph/", env!("CARGO_PKG_VERSION"), " (news analysis; +https://example.invalid/claimgraph)");

impl RawFetch {
    fn resolve(&self) -> FetchConfig {
        FetchConfig {
            connect_timeout: Duration::from_secs(self.connect_timeout_secs.unwrap_or(10)),
            read_timeout: Duration::from_secs(self.read_timeout_secs.unwrap_or(20)),
            deadline: Duration::from_secs(self.deadline_secs.unwrap_or(60)),
            max_body_bytes: self.max_body_bytes.unwrap_or(10_000_000),
            max_redirects: self.max_redirects.unwrap_or(5),
            per_host_delay: Duration::from_millis(self.per_host_delay_ms.unwrap_or(1000)),
            user_agent: self.user_agent.clone().unwrap_or_else(|| DEFAULT_USER_AGENT.to_string()),
            allow_private: self.allow_private.unwrap_or(false),
        }
    }
}

impl RawExtract {
    fn resolve(&self, name: &str) -> Result<claimgraph_extract::Options, ConfigError> {
        let defaults = claimgraph_extract::Options::default();
        let invalid = |message: String| ConfigError::Invalid { path: name.to_string(), message };
        let max_bytes = self.max_document_bytes.unwrap_or(defaults.max_bytes);
        if max_bytes == 0 || max_bytes > claimgraph_extract::MAX_INPUT_BYTES {
            return Err(invalid(format!(
                "extract.max_document_bytes is {max_bytes}: it must be from 1 to {} (50 MiB)",
                claimgraph_extract::MAX_INPUT_BYTES
            )));
        }
        let max_seconds = self.max_seconds_per_document.unwrap_or(defaults.max_seconds);
        if !(max_seconds.is_finite() && max_seconds > 0.0) {
            return Err(invalid(format!(
                "extract.max_seconds_per_document is {max_seconds}: it must be a positive number of seconds (e.g. 60)"
            )));
        }
        Ok(claimgraph_extract::Options { max_bytes, max_seconds })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read {path}: {source}")]
    Read { path: String, source: std::io::Error },
    #[error("{path}: {message}")]
    Parse { path: String, message: String },
    #[error("{path}: {message}")]
    Invalid { path: String, message: String },
}

impl Config {
    /// Reads `path` if given, else `./claimgraph.toml` if it exists, else the defaults.
    pub fn load(path: Option<&Path>) -> Result<Config, ConfigError> {
        let default_path = Path::new("claimgraph.toml");
        let (raw, base, name) = match path {
            Some(p) => (read(p)?, p.parent().map(Path::to_path_buf).unwrap_or_default(), p.display().to_string()),
            None if default_path.exists() => (read(default_path)?, PathBuf::new(), "claimgraph.toml".to_string()),
            None => (RawConfig::default(), PathBuf::new(), "(defaults)".to_string()),
        };
        Config::resolve(raw, &base, &name)
    }

    /// Parses the text of a configuration file.
    pub fn from_toml(text: &str, name: &str) -> Result<Config, ConfigError> {
        let raw: RawConfig =
            toml::from_str(text).map_err(|e| ConfigError::Parse { path: name.to_string(), message: e.to_string() })?;
        Config::resolve(raw, Path::new(""), name)
    }

    fn resolve(raw: RawConfig, base: &Path, name: &str) -> Result<Config, ConfigError> {
        let batch_size = raw.ingest.batch_size.unwrap_or(200);
        if batch_size == 0 {
            return Err(ConfigError::Invalid {
                path: name.to_string(),
                message: "ingest.batch_size must be at least 1".into(),
            });
        }
        let watch_give_up_after = raw.ingest.watch_give_up_after.unwrap_or(5);
        if watch_give_up_after == 0 {
            return Err(ConfigError::Invalid {
                path: name.to_string(),
                message: "ingest.watch_give_up_after must be at least 1".into(),
            });
        }
        if raw.fetch.deadline_secs == Some(0) {
            return Err(ConfigError::Invalid {
                path: name.to_string(),
                message: "fetch.deadline_secs must be at least 1 (it bounds every fetch)".into(),
            });
        }
        let store_path = match raw.store.path {
            Some(p) if p.is_relative() => base.join(p),
            Some(p) => p,
            None => PathBuf::from("claimgraph.db"),
        };
        let mut reliability = Vec::new();
        for (source, grade) in &raw.reliability {
            match grade.trim().to_ascii_uppercase().as_str() {
                g @ ("A" | "B" | "C" | "D" | "E" | "F") => {
                    reliability.push((source.clone(), g.chars().next().unwrap_or('F')));
                }
                _ => {
                    return Err(ConfigError::Invalid {
                        path: name.to_string(),
                        message: format!(
                            "reliability of {source:?} is {grade:?}: a grade is a letter from A (completely reliable) to F (cannot be judged)"
                        ),
                    })
                }
            }
        }
        let mut tokens = Vec::new();
        for t in &raw.server.tokens {
            let role = t.role.clone().unwrap_or_else(|| "read".to_string());
            if !matches!(role.as_str(), "read" | "analyst") {
                return Err(ConfigError::Invalid {
                    path: name.to_string(),
                    message: format!("server.tokens: role {role:?} is not \"read\" or \"analyst\""),
                });
            }
            if t.token.trim().len() < 16 {
                return Err(ConfigError::Invalid {
                    path: name.to_string(),
                    message: "server.tokens: a token must be at least 16 characters".to_string(),
                });
            }
            tokens.push((t.token.trim().to_string(), role));
        }
        let extract = raw.extract.resolve(name)?;
        Ok(Config {
            store_path,
            fetch: raw.fetch.resolve(),
            batch_size,
            watch_give_up_after,
            reliability,
            tokens,
            extract,
        })
    }
}

fn read(path: &Path) -> Result<RawConfig, ConfigError> {
    let text = std::fs::read_to_string(path)
        .map_err(|source| ConfigError::Read { path: path.display().to_string(), source })?;
    toml::from_str(&text).map_err(|e| ConfigError::Parse { path: path.display().to_string(), message: e.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_and_overrides() {
        let c = Config::from_toml("", "t.toml").unwrap();
        assert_eq!(c.store_path, PathBuf::from("claimgraph.db"));
        assert_eq!(c.fetch.max_redirects, 5);
        assert_eq!(c.fetch.deadline, Duration::from_secs(60));
        assert_eq!(c.watch_give_up_after, 5);
        assert!(!c.fetch.allow_private);
        let c = Config::from_toml("[store]\npath = 'x.db'\n[fetch]\nmax_body_bytes = 1000\n", "t.toml").unwrap();
        assert_eq!(c.store_path, PathBuf::from("x.db"));
        assert_eq!(c.fetch.max_body_bytes, 1000);
    }

    #[test]
    fn the_per_document_budget_is_read_and_checked() {
        let c = Config::from_toml("", "t.toml").unwrap();
        assert_eq!(c.extract, claimgraph_extract::Options::default());
        let c = Config::from_toml("[extract]\nmax_document_bytes = 5000\nmax_seconds_per_document = 2.5\n", "t.toml")
            .unwrap();
        assert_eq!(c.extract, claimgraph_extract::Options { max_bytes: 5000, max_seconds: 2.5 });
        let err = Config::from_toml("[extract]\nmax_seconds_per_document = 0\n", "t.toml").unwrap_err().to_string();
        assert!(err.contains("t.toml: extract.max_seconds_per_document is 0"), "{err}");
        let err = Config::from_toml("[extract]\nmax_document_bytes = 99999999999\n", "t.toml").unwrap_err().to_string();
        assert!(err.contains("at most") || err.contains("from 1 to"), "{err}");
    }

    #[test]
    fn reliability_grades_are_checked() {
        let c = Config::from_toml("[reliability]\nReuters = 'A'\n'example.com' = 'd'\n", "t.toml").unwrap();
        assert_eq!(c.reliability, vec![("Reuters".to_string(), 'A'), ("example.com".to_string(), 'D')]);
        let err = Config::from_toml("[reliability]\nReuters = 'G'\n", "t.toml").unwrap_err().to_string();
        assert!(err.contains("from A (completely reliable)"), "{err}");
    }

    #[test]
    fn unknown_keys_are_rejected() {
        let err = Config::from_toml("[fetch]\ntimeout = 3\n", "t.toml").unwrap_err().to_string();
        assert!(err.contains("unknown field `timeout`"), "{err}");
        assert!(err.starts_with("t.toml"), "{err}");
    }
}
