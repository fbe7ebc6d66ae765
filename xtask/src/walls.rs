//! The walls of the code, checked by `cargo xtask lint` so they stay true:
//!
//! - **Crates**: `shared` depends on no other crate of ours; the `engine` on
//!   neither the backend nor a frontend; the widget on neither the engine,
//!   the console nor the backend; the console not on the backend (read from
//!   `cargo metadata`, every kind of dependency).
//! - **HTTP modules** (a file under `backend/src/api/` or `backend/src/admin/`
//!   with a `router()`) never import one another, helpers beside them
//!   (`admin/signed.rs`, `admin/scope.rs`) import none, and the core modules
//!   of `backend/src/` import nothing of `api/` or `admin/` — except
//!   `routes.rs`, which mounts the routers, and the process's entry points
//!   (`startup.rs`, `main.rs`, `lib.rs`).

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command;

/// Crate → crates of ours it must not depend on.
const CRATE_WALLS: [(&str, &[&str]); 4] = [
    (
        "sammen-shared",
        &[
            "sammen-engine",
            "sammen-backend",
            "sammen-widget",
            "sammen-console",
        ],
    ),
    (
        "sammen-engine",
        &["sammen-backend", "sammen-widget", "sammen-console"],
    ),
    (
        "sammen-widget",
        &["sammen-engine", "sammen-console", "sammen-backend"],
    ),
    ("sammen-console", &["sammen-backend", "sammen-widget"]),
];

/// Core files that put the process together and may reach into `api/` and
/// `admin/`.
const ENTRY_POINTS: [&str; 4] = ["routes.rs", "startup.rs", "main.rs", "lib.rs"];

pub fn check(root: &Path) -> Result<(), String> {
    let mut problems = crate_problems(root)?;
    problems.extend(module_problems(&root.join("backend/src"))?);
    if problems.is_empty() {
        println!("walls: crates and HTTP modules keep to their places");
        Ok(())
    } else {
        Err(format!("walls broken:\n  {}", problems.join("\n  ")))
    }
}

fn crate_problems(root: &Path) -> Result<Vec<String>, String> {
    let out = Command::new(env!("CARGO"))
        .current_dir(root)
        .args(["metadata", "--no-deps", "--format-version", "1"])
        .output()
        .map_err(|e| format!("cannot run cargo metadata: {e}"))?;
    let metadata: serde_json::Value = serde_json::from_slice(&out.stdout)
        .map_err(|e| format!("cargo metadata is not JSON: {e}"))?;
    let packages = metadata["packages"].as_array().cloned().unwrap_or_default();
    let dependencies = |name: &str| -> Option<Vec<String>> {
        packages.iter().find(|p| p["name"] == name).map(|p| {
            p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|d| d["name"].as_str().map(str::to_string))
                .collect()
        })
    };
    let mut problems = Vec::new();
    for (name, forbidden) in CRATE_WALLS {
        let Some(deps) = dependencies(name) else {
            problems.push(format!("cargo metadata lists no crate {name}"));
            continue;
        };
        problems.extend(wall_crossings(name, &deps, forbidden));
    }
    Ok(problems)
}

fn wall_crossings(name: &str, dependencies: &[String], forbidden: &[&str]) -> Vec<String> {
    dependencies
        .iter()
        .filter(|d| forbidden.contains(&d.as_str()))
        .map(|d| format!("{name} depends on {d}"))
        .collect()
}

/// One Rust file of the backend: its module path and its text.
struct Source {
    /// `["api", "groups", "dates"]` of `api/groups/dates.rs` (`mod.rs` is its
    /// folder); `["privacy"]` for a core module.
    path: Vec<String>,
    text: String,
}

impl Source {
    fn name(&self) -> String {
        format!("{}.rs", self.path.join("/"))
    }

    fn is_core(&self) -> bool {
        self.path.len() == 1
    }

    fn is_http(&self) -> bool {
        !self.is_core() && self.text.contains("pub fn router(")
    }
}

fn module_problems(src: &Path) -> Result<Vec<String>, String> {
    let mut sources = Vec::new();
    collect(src, &[], &mut sources)?;
    Ok(import_problems(&sources))
}

fn collect(dir: &Path, path: &[String], sources: &mut Vec<Source>) -> Result<(), String> {
    let entries = fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    for entry in entries.flatten() {
        let file = entry.path();
        let stem = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if file.is_dir() {
            collect(&file, &[path, &[stem]].concat(), sources)?;
        } else if file.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let path = if stem == "mod" {
                path.to_vec()
            } else {
                [path, &[stem]].concat()
            };
            sources.push(Source { path, text });
        }
    }
    Ok(())
}

fn import_problems(sources: &[Source]) -> Vec<String> {
    let http: BTreeSet<&[String]> = sources
        .iter()
        .filter(|s| s.is_http())
        .map(|s| s.path.as_slice())
        .collect();
    let mut problems = Vec::new();
    for source in sources {
        if source.is_core() && ENTRY_POINTS.contains(&source.name().as_str()) {
            continue;
        }
        for reference in references(source) {
            // `api::follow::view_of` names the module `api::follow`.
            let target = sources
                .iter()
                .map(|s| s.path.as_slice())
                .filter(|path| reference.starts_with(path))
                .max_by_key(|path| path.len())
                .map_or(reference.clone(), <[String]>::to_vec);
            let shown = target.join("::");
            if source.is_core() {
                problems.push(format!("core module {} imports {shown}", source.name()));
            } else if target != source.path
                && http
                    .iter()
                    .any(|h| target.starts_with(h) || h.starts_with(&target))
            {
                problems.push(format!("{} imports the HTTP module {shown}", source.name()));
            }
        }
    }
    problems
}

/// The modules of `api/` and `admin/` a file names: `crate::api::x::y`,
/// `crate::admin::x` and, inside those folders, `super::x` (from the
/// file's folder).
fn references(source: &Source) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for top in ["api", "admin"] {
        for prefix in [
            format!("crate::{top}::"),
            format!("sammen_backend::{top}::"),
        ] {
            found.extend(
                paths_after(&source.text, &prefix)
                    .into_iter()
                    .map(|rest| [vec![top.to_string()], rest].concat()),
            );
        }
    }
    if !source.is_core() {
        let folder = &source.path[..source.path.len() - 1];
        found.extend(
            paths_after(&source.text, "super::")
                .into_iter()
                .filter(|rest| rest.first().is_some_and(|m| m != "*"))
                .map(|rest| [folder.to_vec(), rest].concat()),
        );
    }
    found
}

/// The lowercase path segments (modules, not items) that follow each
/// `prefix` in `text`, outside comments: `groups::dates` of
/// `crate::api::groups::dates::Row`.
fn paths_after(text: &str, prefix: &str) -> Vec<Vec<String>> {
    text.lines()
        .map(|line| line.split("//").next().unwrap_or(""))
        .flat_map(|line| {
            line.match_indices(prefix)
                .map(|(at, _)| {
                    line[at + prefix.len()..]
                        .split("::")
                        .map(|segment| {
                            segment
                                .chars()
                                .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == '*')
                                .collect::<String>()
                        })
                        .take_while(|segment| {
                            segment == "*"
                                || segment
                                    .chars()
                                    .next()
                                    .is_some_and(|c| c.is_ascii_lowercase())
                        })
                        .collect::<Vec<_>>()
                })
                .collect::<Vec<_>>()
        })
        .filter(|path| !path.is_empty())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.split('/').map(str::to_string).collect(),
            text: text.into(),
        }
    }

    #[test]
    fn an_http_module_importing_another_is_reported() {
        let sources = [
            source(
                "api/follow",
                "pub fn router() {}\nuse crate::api::groups::dates::x;",
            ),
            source(
                "api/groups/dates",
                "pub fn router() {}\nuse super::roster::y;",
            ),
            source(
                "api/groups/roster",
                "pub fn router() {}\nuse crate::group_space::me;",
            ),
            source("admin/scope", "use crate::admin::signed::Signed;"),
            source("admin/signed", "// no router here"),
            source("api/groups", "pub mod dates;"),
        ];
        assert_eq!(
            import_problems(&sources),
            [
                "api/follow.rs imports the HTTP module api::groups::dates",
                "api/groups/dates.rs imports the HTTP module api::groups::roster",
            ]
        );
    }

    #[test]
    fn a_core_module_may_not_reach_into_api_or_admin() {
        let sources = [
            source("privacy", "use crate::api::follow::view_of; // old\n"),
            source(
                "routes",
                "use crate::{admin, api};\n.merge(crate::api::x::router())",
            ),
            source("retention", "// crate::admin::audit was here\n"),
            source("api/x", "pub fn router() {}"),
            source("api/follow", "pub fn router() {}"),
        ];
        assert_eq!(
            import_problems(&sources),
            ["core module privacy.rs imports api::follow"]
        );
    }

    #[test]
    fn a_crate_dependency_across_a_wall_is_reported() {
        let deps = vec!["serde".to_string(), "sammen-backend".to_string()];
        assert_eq!(
            wall_crossings("sammen-shared", &deps, CRATE_WALLS[0].1),
            ["sammen-shared depends on sammen-backend"]
        );
        assert!(
            wall_crossings("sammen-widget", &["sammen-shared".into()], CRATE_WALLS[2].1).is_empty()
        );
    }
}
