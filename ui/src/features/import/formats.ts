// The file types the importer reads (the core decides; this only filters the file dialog).
export const IMPORT_ACCEPT = ".docx,.pdf,.odt,.md,.markdown,.txt,.html,.htm,.json";
