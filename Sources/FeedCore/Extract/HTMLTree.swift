/// A web page as a tree of elements and text, built by `HTMLTreeBuilder`.
///
/// The nodes live in one array in document order, so a parent always comes before its children and a plain loop
/// backwards over the array visits every child before its parent: the bottom-up sums of the scorer need no
/// recursion and no per-node allocation. Nodes are never moved or deleted; the extractor drops them by marking.
struct HTMLTree {
    struct Node {
        /// The element's name in lowercase, or `#text`.
        var name: String
        var attributes: [HTMLTag.Attribute]
        /// A text node's text (character references decoded), or a raw-text element's content (`<script>`).
        var text: String
        var parent: Int
        var firstChild = -1
        var lastChild = -1
        var nextSibling = -1

        var isText: Bool { name == HTMLTree.textName }

        /// The value of attribute `name` (lowercase).
        func attribute(_ name: String) -> String? {
            for attribute in attributes where attribute.name == name { return attribute.value }
            return nil
        }
    }

    static let textName = "#text"
    /// The index of the document node, the root: it has no name and no parent.
    static let root = 0

    private(set) var nodes: [Node] = [Node(name: "", attributes: [], text: "", parent: -1)]

    subscript(index: Int) -> Node { nodes[index] }

    var count: Int { nodes.count }

    /// The children of `index`, in document order.
    func children(of index: Int) -> ChildSequence { ChildSequence(tree: self, following: nodes[index].firstChild) }

    /// The nodes below `index`: the range of indices from just after it to just before its next sibling (or its
    /// nearest ancestor's), thanks to document order.
    func descendants(of index: Int) -> Range<Int> {
        var node = index
        while node >= 0 {
            let next = nodes[node].nextSibling
            if next >= 0 { return index + 1..<next }
            node = nodes[node].parent
        }
        return index + 1..<nodes.count
    }

    /// The first element named `name` below `index`, in document order.
    func first(_ name: String, in index: Int = HTMLTree.root) -> Int? {
        descendants(of: index).first { nodes[$0].name == name }
    }

    /// True when `ancestor` is `index` or one of its ancestors.
    func contains(_ ancestor: Int, _ index: Int) -> Bool {
        var node = index
        while node >= 0 {
            if node == ancestor { return true }
            node = nodes[node].parent
        }
        return false
    }

    /// Appends a node as the last child of `parent` and returns its index.
    mutating func append(_ node: Node) -> Int {
        let index = nodes.count
        let parent = node.parent
        nodes.append(node)
        if nodes[parent].lastChild >= 0 {
            nodes[nodes[parent].lastChild].nextSibling = index
        } else {
            nodes[parent].firstChild = index
        }
        nodes[parent].lastChild = index
        return index
    }

    /// Adds `text` to `parent`'s last child when that is text (the tokenizer splits text at every stray `<`),
    /// else as a new text node.
    mutating func appendText(_ text: String, to parent: Int) {
        let last = nodes[parent].lastChild
        if last >= 0, nodes[last].isText {
            nodes[last].text += text
        } else {
            _ = append(Node(name: Self.textName, attributes: [], text: text, parent: parent))
        }
    }

    mutating func setText(_ text: String, of index: Int) {
        nodes[index].text = text
    }

    struct ChildSequence: Sequence, IteratorProtocol {
        let tree: HTMLTree
        var following: Int

        mutating func next() -> Int? {
            guard following >= 0 else { return nil }
            defer { following = tree.nodes[following].nextSibling }
            return following
        }
    }
}
