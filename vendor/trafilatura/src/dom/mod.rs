// Port of go-trafilatura/internal/etree/

mod query;
mod tree;

pub use ego_tree::NodeId;

use scraper::Node;
pub(crate) use tree::MAX_TREE_DEPTH;

/// The deepest element a parsed document keeps (Parallax patch); real pages nest a few dozen levels.
pub const MAX_PARSED_DEPTH: usize = 128;

/// Flattens every element deeper than `limit` into its ancestor at depth `limit`: that ancestor's children become
/// the text nodes of its whole subtree, in document order, with a space between neighbours so words stay apart.
/// The walk is iterative and visits each node a bounded number of times, so the cost is linear in the page's size.
fn flatten_past_depth(tree: &mut ego_tree::Tree<Node>, limit: usize) {
    use ego_tree::iter::Edge;
    let mut cuts = Vec::new();
    let mut depth = 0usize;
    for edge in tree.root().traverse() {
        match edge {
            Edge::Open(node) => {
                depth += 1;
                if depth == limit && node.children().any(|c| c.value().is_element()) {
                    cuts.push(node.id());
                }
            }
            Edge::Close(_) => depth -= 1,
        }
    }
    for cut in cuts {
        let Some(node) = tree.get(cut) else { continue };
        let texts: Vec<NodeId> = node
            .descendants()
            .skip(1)
            .filter(|d| d.value().is_text())
            .map(|d| d.id())
            .collect();
        let Some(mut node) = tree.get_mut(cut) else {
            continue;
        };
        while let Some(mut child) = node.first_child() {
            child.detach();
        }
        for (i, text) in texts.into_iter().enumerate() {
            if i > 0 {
                node.append(Node::Text(scraper::node::Text { text: " ".into() }));
            }
            node.append_id(text);
        }
    }
}

/// A parsed HTML document backed by an ego-tree.
///
/// Wraps `ego_tree::Tree<scraper::Node>` and adds text/tail semantics
/// (from Python's ElementTree / Go's etree package), mutable tree operations,
/// and CSS selector queries.
///
/// NodeId handles are stable as long as the node is not detached.
/// Detached nodes remain in the backing store (they're never freed), so
/// previously captured NodeIds remain valid but the node has no parent.
pub struct Document {
    pub(crate) tree: ego_tree::Tree<Node>,
}

impl Document {
    /// Parse an HTML string into a mutable Document.
    /// Uses html5ever's browser-grade HTML parser (same as scraper).
    ///
    /// Parallax patch: elements nested deeper than [`MAX_PARSED_DEPTH`] are flattened into their ancestor at that
    /// depth (their text is kept, their tags are dropped), so the recursive walks of the extractor can neither
    /// overflow the stack nor spend time and memory quadratic in the nesting of a crafted page.
    pub fn parse(html: &str) -> Self {
        let html_doc = scraper::Html::parse_document(html);
        let mut tree = html_doc.tree;
        flatten_past_depth(&mut tree, MAX_PARSED_DEPTH);
        Self { tree }
    }

    /// Return the NodeId of the tree root (a Document node, not an Element).
    pub fn root(&self) -> NodeId {
        self.tree.root().id()
    }

    /// Return the NodeId of the `<body>` element, if present.
    pub fn body(&self) -> Option<NodeId> {
        // Walk: root → html → body
        let html_id = self
            .tree
            .root()
            .children()
            .find(|n| matches!(n.value(), Node::Element(e) if e.name.local.as_ref() == "html"))?
            .id();

        self.tree
            .get(html_id)?
            .children()
            .find(|n| matches!(n.value(), Node::Element(e) if e.name.local.as_ref() == "body"))
            .map(|n| n.id())
    }
}
