// Whether the finding form's "Mer" part is open: one choice for the session,
// kept while the analyst moves from finding to finding.
export const moreOpen = $state({ value: false });
