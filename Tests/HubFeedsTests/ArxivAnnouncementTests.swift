import HubCore
import Testing

@Suite struct ArxivAnnouncementTests {
    @Test(arguments: [
        "arXiv:2606.13857v1 Announce Type: new Abstract: Many-body Floquet models",
        "arXiv:2606.13857v1 Announce Type: new \nAbstract: Many-body Floquet models",
        "  arXiv:2606.13857v1\tAnnounce Type:new\n\nAbstract:Many-body Floquet models",
        "ARXIV:2606.13857v1 announce type: NEW abstract: Many-body Floquet models",
    ])
    func prefixIsStrippedWhateverTheWhitespace(text: String) {
        let (announcement, abstract) = ArxivAnnouncement.split(text)
        #expect(announcement == ArxivAnnouncement(arxivID: "2606.13857", version: "v1", announceType: "new"))
        #expect(abstract == "Many-body Floquet models")
    }

    @Test func oldStyleIdsAndAllAnnounceTypesAreRead() {
        let (a, rest) = ArxivAnnouncement.split("arXiv:hep-th/9901001v2 Announce Type: replace-cross Abstract: X")
        #expect(a == ArxivAnnouncement(arxivID: "hep-th/9901001", version: "v2", announceType: "replace-cross"))
        #expect(rest == "X")
        #expect(ArxivAnnouncement.split("arXiv:2603.11172 Announce Type: cross Abstract: Y").announcement?.version == nil)
    }

    @Test(arguments: [
        "We study arXiv:2606.13857v1 Announce Type: new Abstract: in the middle",  // not at the start
        "arXiv:2606.13857v1 Announce Type: new",  // no "Abstract:"
        "arXiv:not-an-id Announce Type: new Abstract: text",
        "arXiv:2606.13857v1 Abstract: text",
        "",
    ])
    func textWithoutACompleteAnnouncementIsLeftAlone(text: String) {
        let (announcement, abstract) = ArxivAnnouncement.split(text)
        #expect(announcement == nil)
        #expect(abstract == text)
    }
}
