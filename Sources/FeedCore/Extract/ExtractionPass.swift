/// How hard one attempt at a page filters, from strict to lenient: when a strict attempt leaves too little text
/// (a theme that calls its article wrapper `has-sidebar`), the next one tries again with less (Readability's
/// `FLAG_STRIP_UNLIKELYS`, `FLAG_WEIGHT_CLASSES`, `FLAG_CLEAN_CONDITIONALLY`).
struct ExtractionPass: Equatable {
    /// Drop the containers whose class or id says chrome (`sidebar`, `comments`, `share`) before scoring.
    var stripsChrome: Bool
    /// Weigh candidates by the vocabulary of their class and id.
    var weighsClasses: Bool
    /// Drop the lists, tables and divisions inside the article that look like chrome (links, forms, few words).
    var cleansConditionally: Bool

    /// The attempts, in order.
    static let all = [
        ExtractionPass(stripsChrome: true, weighsClasses: true, cleansConditionally: true),
        ExtractionPass(stripsChrome: false, weighsClasses: true, cleansConditionally: true),
        ExtractionPass(stripsChrome: false, weighsClasses: false, cleansConditionally: true),
        ExtractionPass(stripsChrome: false, weighsClasses: false, cleansConditionally: false),
    ]

    /// An attempt that leaves less text than this (non-space characters) makes way for the next one.
    static let enoughText = 420
}
