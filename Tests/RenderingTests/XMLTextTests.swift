import Testing

@testable import Rendering

/// The one escaping rule shared by the genotype drawing and the command's plots.
@Suite struct XMLTextTests {
    @Test func markupCharactersAreEscaped() {
        #expect(XMLText.escaped("a<b & \"c\" > d") == "a&lt;b &amp; &quot;c&quot; &gt; d")
        #expect(XMLText.escaped("&amp;") == "&amp;amp;", "escaped once, never un-escaped")
    }

    @Test func textWithoutMarkupIsUnchanged() {
        #expect(XMLText.escaped("cell 0 = concat_fc(pix.0, fou.1); τ 0.31") == "cell 0 = concat_fc(pix.0, fou.1); τ 0.31")
        #expect(XMLText.escaped("tab\tline\nreturn\r") == "tab\tline\nreturn\r")
    }

    /// XML 1.0 allows no other C0 control character: left in, the picture would not open.
    @Test func controlCharactersXMLForbidsAreReplaced() {
        #expect(XMLText.escaped("nul\u{0}bell\u{7}esc\u{1B}") == "nul\u{FFFD}bell\u{FFFD}esc\u{FFFD}")
    }
}
