import Testing

@testable import FeedCore

/// The forgiving HTML reader: pages as browsers read them, not as XML.
@Suite struct HTMLTreeBuilderTests {
    private func tree(_ html: String) -> HTMLTree {
        var html = html
        return html.withUTF8 { HTMLTreeBuilder.build($0) }
    }

    /// The tree as nested names, text in quotes: `div(p("a") p("b"))`.
    private func outline(_ tree: HTMLTree, _ index: Int = HTMLTree.root) -> String {
        tree.children(of: index).map { child -> String in
            let node = tree[child]
            if node.isText { return "\"\(node.text)\"" }
            let inner = outline(tree, child)
            return inner.isEmpty ? node.name : "\(node.name)(\(inner))"
        }.joined(separator: " ")
    }

    @Test func unclosedParagraphsAndListItemsCloseAsInBrowsers() {
        let built = tree("<div><p>one<p>two<ul><li>a<li>b</ul><p>three</div>")
        #expect(outline(built) == #"div(p("one") p("two") ul(li("a") li("b")) p("three"))"#)
    }

    @Test func voidElementsHaveNoChildren() {
        let built = tree("<p>a<br>b<img src=x.png>c<hr>d")
        #expect(outline(built) == #"p("a" br "b" img "c") hr "d""#)
    }

    @Test func scriptAndStyleAreRawTextNotMarkup() {
        let built = tree("<div><script>if (a < b) document.write('</div><p>x');</script><p>kept</p></div>")
        #expect(outline(built) == #"div(script p("kept"))"#)
        #expect(built[built.first("script")!].text == "if (a < b) document.write('</div><p>x');")
    }

    @Test func legacyEntitiesWithoutSemicolonsDecodeInTextNotBeforeEqualsInAttributes() {
        let built = tree(#"<p title="x&copy=1">caf&eacute &amp; cr&egrave;me &copy2025 &#8217;</p>"#)
        let p = built.first("p")!
        #expect(built[p].attribute("title") == "x&copy=1")
        #expect(built.text(of: p) == "café & crème ©2025 \u{2019}")
    }

    @Test func selfClosingSVGDoesNotSwallowTheRest() {
        let built = tree("<p>a<svg/><b>bold</b></p>")
        #expect(outline(built) == #"p("a" svg b("bold"))"#)
    }

    @Test func strayEndTagsAreIgnoredAndHeadingsCloseEachOther() {
        let built = tree("</span><h2>one<h3>two</h3></em>text")
        #expect(outline(built) == #"h2("one") h3("two") "text""#)
    }

    @Test func tableCellsAndRowsCloseImplicitly() {
        let built = tree("<table><tr><td>a<td>b<tr><td>c</table>")
        #expect(outline(built) == #"table(tr(td("a") td("b")) tr(td("c")))"#)
    }

    @Test func depthIsBoundedOnPagesThatNeverCloseTheirDivs() {
        let built = tree(String(repeating: "<div>", count: 5000) + "deep")
        var depth = 0
        var node = built.count - 1
        while node > HTMLTree.root {
            depth += 1
            node = built[node].parent
        }
        #expect(depth <= HTMLTreeBuilder.maximumDepth)
        #expect(built.text(of: HTMLTree.root) == "deep")
    }

    @Test func aStrayLessThanSignIsText() {
        let built = tree("<p>1 < 2 and 3 <= 4</p>")
        #expect(built.text(of: built.first("p")!) == "1 < 2 and 3 <= 4")
    }
}
