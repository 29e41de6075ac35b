//! From the block tree of [`crate::lexer`] to the typed [`Config`] (spec §1).
//!
//! Each file is walked once; every problem is collected as a [`ConfigError`] and the walk
//! goes on, so one run reports all of them. Neighbors and templates are first read into a
//! [`draft::Draft`] (every key optional), templates are merged by `inherit`, then
//! [`build`] applies ExaBGP's defaults and semantic checks.

mod build;
mod draft;
mod evpn;
mod input;
mod l2vpn;
mod routes;
mod stream;
mod values;

use std::collections::HashMap;

use crate::error::ConfigError;
use crate::lexer::{Node, Token};
use crate::model::{Config, Encoder, Location, Process};
use crate::{Options, Source};

pub(crate) use draft::Draft;
pub(crate) use input::Input;
pub(crate) use stream::{At, RouteList};

/// The error collector and file name shared by the walkers.
pub(crate) struct Ctx {
    file: String,
    /// The index of the file in the parse (see [`At`]).
    file_id: u32,
    pub(crate) errors: Vec<ConfigError>,
    /// `static` blocks whose routes were parsed while the file was lexed.
    pub(crate) statics: stream::StaticBlocks,
}

impl Ctx {
    fn new(file: &str, file_id: u32) -> Self {
        Self {
            file: file.to_owned(),
            file_id,
            errors: Vec::new(),
            statics: stream::StaticBlocks::default(),
        }
    }

    /// Where `tok` is, compactly (for routes).
    pub(crate) fn here(&self, tok: &Token) -> At {
        At {
            file: self.file_id,
            line: tok.line,
            col: tok.col,
        }
    }

    /// The location of `tok`.
    pub(crate) fn loc(&self, tok: &Token) -> Location {
        self.at(tok.line, tok.col)
    }

    /// A location in the current file.
    pub(crate) fn at(&self, line: u32, col: u32) -> Location {
        Location {
            file: self.file.clone(),
            line,
            col,
        }
    }

    /// Records an error about `tok`.
    pub(crate) fn err(&mut self, tok: &Token, reason: impl Into<String>) {
        let loc = self.loc(tok);
        self.errors
            .push(ConfigError::new(loc, reason, Some(tok.text.as_str())));
    }

    /// Records an error at the start of `node` (its first word) or its terminator.
    pub(crate) fn err_node(&mut self, node: &Node, reason: impl Into<String>) {
        match node.words.first() {
            Some(tok) => self.err(tok, reason),
            None => {
                let loc = self.at(node.end.0, node.end.1);
                self.errors.push(ConfigError::new(loc, reason, None));
            }
        }
    }

    /// Records an error about a missing value after `node`'s last word.
    pub(crate) fn err_missing(&mut self, node: &Node, what: &str) {
        let near = node.words.last().map(|t| t.text.as_str());
        let loc = self.at(node.end.0, node.end.1);
        self.errors.push(ConfigError::new(
            loc,
            format!("{what} requires a value"),
            near,
        ));
    }

    /// Errors when `node` is a block but a statement was expected, or the reverse.
    pub(crate) fn expect_statement(&mut self, node: &Node) -> bool {
        if node.children.is_some() {
            self.err_node(node, format!("'{}' is not a block", node.keyword()));
            return false;
        }
        true
    }

    /// Errors about words after the value(s) a statement takes.
    pub(crate) fn no_extra(&mut self, node: &Node, used: usize) -> bool {
        if let Some(tok) = node.words.get(used) {
            self.err(tok, format!("unexpected value for '{}'", node.keyword()));
            return false;
        }
        true
    }
}

/// Everything read from all the files, before templates are resolved.
#[derive(Default)]
pub(crate) struct Collected {
    /// The source names, in parse order ([`At::file`] indexes them).
    pub(crate) files: Vec<String>,
    pub(crate) processes: Vec<Process>,
    pub(crate) templates: HashMap<String, Draft>,
    pub(crate) neighbors: Vec<Draft>,
}

/// Parses all `sources` into one configuration.
pub(crate) fn parse(sources: &[Source], options: &Options) -> Result<Config, Vec<ConfigError>> {
    parse_inputs(sources.iter().map(Input::Text).collect(), options)
}

/// Parses all `inputs` into one configuration. When one of them can not be read to its
/// end, only that is reported.
pub(crate) fn parse_inputs(
    inputs: Vec<Input<'_>>,
    options: &Options,
) -> Result<Config, Vec<ConfigError>> {
    let mut collected = Collected::default();
    let mut errors = Vec::new();
    let mut read_errors = Vec::new();
    for input in inputs {
        let file_id = u32::try_from(collected.files.len()).unwrap_or(u32::MAX);
        let name = input.name().to_owned();
        let mut ctx = Ctx::new(&name, file_id);
        collected.files.push(name);
        let (nodes, lex_errors) = match input.lex(&mut ctx) {
            Ok(lexed) => lexed,
            Err(e) => {
                let loc = ctx.at(1, 1);
                read_errors.push(ConfigError::new(
                    loc,
                    format!("can not read the configuration: {e}"),
                    None,
                ));
                continue;
            }
        };
        // the errors of the routes parsed while lexing come after the lexer's, as when
        // they are found walking the tree
        let early = std::mem::take(&mut ctx.errors);
        for e in lex_errors {
            let loc = ctx.at(e.line, e.col);
            ctx.errors
                .push(ConfigError::new(loc, e.reason, e.near.as_deref()));
        }
        ctx.errors.extend(early);
        for node in &nodes {
            top_level(&mut ctx, node, &mut collected);
        }
        errors.append(&mut ctx.errors);
    }
    if !read_errors.is_empty() {
        return Err(read_errors);
    }
    let config = build::build(collected, &mut errors, options);
    errors.sort_by(|a, b| {
        (&a.location.file, a.location.line, a.location.col).cmp(&(
            &b.location.file,
            b.location.line,
            b.location.col,
        ))
    });
    errors.dedup();
    if errors.is_empty() {
        Ok(config)
    } else {
        Err(errors)
    }
}

fn top_level(ctx: &mut Ctx, node: &Node, collected: &mut Collected) {
    match (node.keyword(), &node.children) {
        ("process", Some(children)) => {
            if let Some(process) = process(ctx, node, children) {
                if collected.processes.iter().any(|p| p.name == process.name) {
                    ctx.err_node(
                        node,
                        format!(
                            "a process section called \"{}\" already exists",
                            process.name
                        ),
                    );
                } else {
                    collected.processes.push(process);
                }
            }
        }
        ("template", Some(children)) => {
            if !ctx.no_extra(node, 1) {
                return;
            }
            for child in children {
                match (child.keyword(), &child.children) {
                    ("neighbor", Some(_)) => {
                        let Some(name) = child.words.get(1) else {
                            ctx.err_node(child, "a template neighbor needs a name");
                            continue;
                        };
                        ctx.no_extra(child, 2);
                        let draft = draft::neighbor(ctx, child, true, &mut collected.processes);
                        if collected.templates.contains_key(&name.text) {
                            ctx.err(name, format!("duplicate template '{}'", name.text));
                        } else {
                            collected.templates.insert(name.text.clone(), draft);
                        }
                    }
                    _ => ctx.err_node(
                        child,
                        format!(
                            "unknown template section '{}' (expected 'neighbor <name> {{ }}')",
                            child.keyword()
                        ),
                    ),
                }
            }
        }
        ("neighbor", Some(_)) => {
            let draft = draft::neighbor(ctx, node, false, &mut collected.processes);
            collected.neighbors.push(draft);
        }
        ("process" | "template" | "neighbor", None) => {
            ctx.err_node(node, format!("'{}' must be a block {{ }}", node.keyword()));
        }
        (other, _) => ctx.err_node(
            node,
            format!("unknown section '{other}' (expected process, template or neighbor)"),
        ),
    }
}

/// `process <name> { run …; encoder …; respawn …; }` (spec §1.10).
fn process(ctx: &mut Ctx, node: &Node, children: &[Node]) -> Option<Process> {
    let Some(name) = node.words.get(1) else {
        ctx.err_node(node, "a process needs a name");
        return None;
    };
    ctx.no_extra(node, 2);
    let mut run: Option<(Vec<String>, Location)> = None;
    let mut encoder = None;
    let mut respawn = None;
    let mut invalid = Vec::new();
    for child in children {
        let before = ctx.errors.len();
        if !process_key(ctx, child, &mut run, &mut encoder, &mut respawn) {
            ctx.err_node(
                child,
                format!("unknown process option '{}'", child.keyword()),
            );
        }
        if ctx.errors.len() > before {
            invalid.push(child.keyword());
        }
    }
    let mut missing = Vec::new();
    if run.is_none() && !invalid.contains(&"run") {
        missing.push("run");
    }
    if encoder.is_none() && !invalid.contains(&"encoder") {
        missing.push("encoder");
    }
    if !invalid.is_empty() && missing.is_empty() {
        return None;
    }
    if !missing.is_empty() {
        ctx.err(
            name,
            format!("unset process sections: {}", missing.join(", ")),
        );
        return None;
    }
    let (run, location) = run?;
    Some(Process {
        name: name.text.clone(),
        run,
        encoder: encoder?,
        respawn: respawn.unwrap_or(true),
        location,
    })
}

/// One statement of a `process` block; shared with ExaBGP 3's `process` inside a neighbor.
pub(crate) fn process_key(
    ctx: &mut Ctx,
    child: &Node,
    run: &mut Option<(Vec<String>, Location)>,
    encoder: &mut Option<Encoder>,
    respawn: &mut Option<bool>,
) -> bool {
    match child.keyword() {
        "run" => {
            if !ctx.expect_statement(child) {
                return true;
            }
            let Some(program) = child.words.get(1) else {
                ctx.err_missing(child, "run");
                return true;
            };
            let words = child.words.iter().skip(1).map(|t| t.text.clone()).collect();
            *run = Some((words, ctx.loc(program)));
        }
        "encoder" => {
            if !ctx.expect_statement(child) {
                return true;
            }
            match child.words.get(1) {
                Some(tok) if tok.text == "text" => *encoder = Some(Encoder::Text),
                Some(tok) if tok.text == "json" => *encoder = Some(Encoder::Json),
                Some(tok) => ctx.err(tok, "invalid encoder (text or json)"),
                None => ctx.err_missing(child, "encoder"),
            }
        }
        "respawn" => {
            if ctx.expect_statement(child) {
                if let Some(v) = values::boolean(ctx, child, true) {
                    *respawn = Some(v);
                }
            }
        }
        _ => return false,
    }
    true
}
