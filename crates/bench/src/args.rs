//! A tiny `--key value` command-line reader for the tools (no dependency: the tools take a
//! handful of options and are driven by `bench/run`, not typed by hand).

use std::collections::HashMap;
use std::str::FromStr;

use anyhow::{anyhow, bail, Context, Result};

/// Options `--key value` (repeatable) and flags `--key` given on a command line.
#[derive(Debug, Default)]
pub struct Args {
    values: HashMap<String, Vec<String>>,
}

impl Args {
    /// Reads `argv` (without the program name); `flags` lists the keys that take no value.
    pub fn parse(argv: impl IntoIterator<Item = String>, flags: &[&str]) -> Result<Self> {
        let mut values: HashMap<String, Vec<String>> = HashMap::new();
        let mut argv = argv.into_iter();
        while let Some(arg) = argv.next() {
            let Some(key) = arg.strip_prefix("--") else {
                bail!("unexpected argument {arg:?} (options are --key value)");
            };
            let value = if flags.contains(&key) {
                String::new()
            } else {
                argv.next()
                    .ok_or_else(|| anyhow!("--{key} needs a value"))?
            };
            values.entry(key.to_owned()).or_default().push(value);
        }
        Ok(Self { values })
    }

    /// Reads the process's own arguments.
    pub fn from_env(flags: &[&str]) -> Result<Self> {
        Self::parse(std::env::args().skip(1), flags)
    }

    /// Whether `--key` was given.
    pub fn flag(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    /// The last value of `--key`, if given.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.values
            .get(key)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    /// Every value of a repeatable `--key`.
    pub fn all(&self, key: &str) -> &[String] {
        self.values.get(key).map(Vec::as_slice).unwrap_or_default()
    }

    /// The value of `--key` parsed, or `default` when absent.
    pub fn parsed<T: FromStr>(&self, key: &str, default: T) -> Result<T>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        match self.get(key) {
            Some(v) => v.parse().with_context(|| format!("--{key} {v}")),
            None => Ok(default),
        }
    }

    /// The value of `--key` parsed; an error when absent.
    pub fn required<T: FromStr>(&self, key: &str) -> Result<T>
    where
        T::Err: std::error::Error + Send + Sync + 'static,
    {
        let v = self
            .get(key)
            .ok_or_else(|| anyhow!("--{key} is required"))?;
        v.parse().with_context(|| format!("--{key} {v}"))
    }
}

/// Parses a count with an optional `k` / `M` suffix (`100k`, `1M`, `2500`).
pub fn count(text: &str) -> Result<u64> {
    let (digits, scale) = match text.as_bytes().last() {
        Some(b'k' | b'K') => (&text[..text.len() - 1], 1_000),
        Some(b'm' | b'M') => (&text[..text.len() - 1], 1_000_000),
        _ => (text, 1),
    };
    let n: u64 = digits.parse().with_context(|| format!("count {text:?}"))?;
    Ok(n * scale)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn options_flags_and_repeats() {
        let argv = ["--listen", "a", "--quiet", "--listen", "b", "--count", "7"];
        let args = Args::parse(argv.map(String::from), &["quiet"]).expect("parses");
        assert_eq!(args.all("listen"), ["a", "b"]);
        assert!(args.flag("quiet"));
        assert_eq!(args.required::<u32>("count").expect("count"), 7);
        assert_eq!(args.parsed("missing", 3u8).expect("default"), 3);
        assert!(Args::parse(["--count".to_owned()], &[]).is_err());
        assert!(Args::parse(["count".to_owned()], &[]).is_err());
    }

    #[test]
    fn counts_with_suffixes() {
        assert_eq!(count("100k").expect("k"), 100_000);
        assert_eq!(count("1M").expect("M"), 1_000_000);
        assert_eq!(count("2500").expect("plain"), 2500);
        assert!(count("x").is_err());
    }
}
