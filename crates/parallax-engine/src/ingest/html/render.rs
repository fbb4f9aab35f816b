//! HTML to plain text with the paragraph breaks a reader sees.

use ego_tree::iter::Edge;
use scraper::{Html, Node};

/// Elements whose content is never text a reader sees.
const HIDDEN: &[&str] = &[
    "script", "style", "noscript", "template", "head", "title", "svg", "math", "iframe", "object",
    "canvas", "select", "button", "input", "textarea",
];

/// Elements that stand as paragraphs of their own: text on either side of them is a different paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "blockquote",
    "pre",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "caption",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "main",
    "figure",
    "figcaption",
    "address",
    "hr",
    "form",
    "fieldset",
    "details",
    "summary",
    "body",
    "html",
    "center",
];

/// Turns an HTML fragment (a feed item's content, an extractor's output) into plain text: one paragraph per block
/// element, separated by a blank line; `<br>` a line break within a paragraph; runs of spaces collapsed; scripts,
/// styles and form controls dropped. Never fails: text that is not HTML comes back with its whitespace tidied.
pub fn html_fragment_to_text(html: &str) -> String {
    // A crafted fragment (a feed item's content) may nest thousands deep: the parser's cost grows with the depth.
    let fragment = Html::parse_fragment(&super::prune::bound_nesting(html));
    let mut out = Paragraphs::default();
    let mut hidden_depth = 0usize;
    let mut pre_depth = 0usize;
    for edge in fragment.tree.root().traverse() {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(element) => {
                    let name = element.name();
                    if hidden_depth > 0 || HIDDEN.contains(&name) {
                        hidden_depth += 1;
                    } else if name == "br" {
                        out.line_break();
                    } else if matches!(name, "td" | "th") {
                        out.push_text(" ");
                    } else if BLOCKS.contains(&name) {
                        out.end_paragraph();
                        if name == "pre" {
                            pre_depth += 1;
                        }
                    }
                }
                Node::Text(text) if hidden_depth == 0 => {
                    if pre_depth > 0 {
                        out.push_preformatted(text);
                    } else {
                        out.push_text(text);
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Node::Element(element) = node.value() {
                    let name = element.name();
                    if hidden_depth > 0 {
                        hidden_depth -= 1;
                    } else if BLOCKS.contains(&name) {
                        out.end_paragraph();
                        if name == "pre" {
                            pre_depth = pre_depth.saturating_sub(1);
                        }
                    } else if matches!(name, "td" | "th") {
                        out.push_text(" ");
                    }
                }
            }
        }
    }
    out.finish()
}

/// Text gathered paragraph by paragraph, whitespace collapsed as a browser would.
#[derive(Default)]
struct Paragraphs {
    done: Vec<String>,
    current: String,
}

impl Paragraphs {
    fn push_text(&mut self, text: &str) {
        for (i, word) in text.split(char::is_whitespace).enumerate() {
            if i > 0 && !self.current.ends_with([' ', '\n']) {
                self.current.push(' ');
            }
            self.current.push_str(word);
        }
    }

    fn push_preformatted(&mut self, text: &str) {
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                self.line_break();
            }
            self.push_text(line);
        }
    }

    fn line_break(&mut self) {
        self.current.push('\n');
    }

    fn end_paragraph(&mut self) {
        let lines: Vec<&str> = self
            .current
            .split('\n')
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .collect();
        if !lines.is_empty() {
            let paragraph = lines
                .iter()
                .map(|line| {
                    line.split(' ')
                        .filter(|w| !w.is_empty())
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .collect::<Vec<_>>()
                .join("\n");
            self.done.push(paragraph);
        }
        self.current.clear();
    }

    fn finish(mut self) -> String {
        self.end_paragraph();
        self.done.join("\n\n")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(html: &str, expect: &str) {
        assert_eq!(html_fragment_to_text(html), expect, "{html}");
    }

    #[test]
    fn keeps_paragraphs_and_line_breaks() {
        check(
            "<p>Ministers met  in\nVarnholm.</p><p>They agreed.<br>Talks resume on <b>Monday</b>.</p>",
            "Ministers met in Varnholm.\n\nThey agreed.\nTalks resume on Monday.",
        );
        check(
            "Lead text<div>Second</div>tail",
            "Lead text\n\nSecond\n\ntail",
        );
        check("<ul><li>one</li><li>two</li></ul>", "one\n\ntwo");
    }

    #[test]
    fn drops_what_a_reader_never_sees() {
        check(
            "<p>Shown<script>var hidden = 1;</script></p><style>p{}</style><p>also &amp; shown</p>",
            "Shown\n\nalso & shown",
        );
    }

    #[test]
    fn reads_plain_text_as_text() {
        check("  just   words\n ", "just words");
        check("", "");
    }
}
