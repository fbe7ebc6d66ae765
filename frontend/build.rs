//! Minifies the widget's stylesheet into OUT_DIR before it is compiled into
//! the wasm: comments and runs of whitespace are bytes every phone would
//! download for nothing. `src/style.css` stays readable.

use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=src/style.css");
    let css = std::fs::read_to_string("src/style.css").expect("src/style.css");
    let out = std::env::var("OUT_DIR").expect("OUT_DIR");
    std::fs::write(Path::new(&out).join("style.css"), minify(&css)).expect("write style.css");
}

/// Drops comments and needless whitespace; quoted strings stay as written.
/// A space is kept where it may mean something (`a :hover`, `0 1em`).
fn minify(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for inner in chars.by_ref() {
                    if last == '*' && inner == '/' {
                        break;
                    }
                    last = inner;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            '"' | '\'' => {
                push_space(&mut out, &mut space, c);
                out.push(c);
                for inner in chars.by_ref() {
                    out.push(inner);
                    if inner == c {
                        break;
                    }
                }
            }
            c => {
                push_space(&mut out, &mut space, c);
                out.push(c);
            }
        }
    }
    out
}

fn push_space(out: &mut String, space: &mut bool, next: char) {
    let tight = |c: char| matches!(c, '{' | '}' | ';' | ',' | '>');
    if *space && !out.is_empty() && !tight(next) && !out.ends_with(|c: char| tight(c) || c == ':') {
        out.push(' ');
    }
    *space = false;
}
