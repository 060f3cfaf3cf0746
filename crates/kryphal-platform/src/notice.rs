//! A message the user must see before the app can show a window of its own
//! (the desktop app is built for the Windows GUI subsystem: it has no
//! console, so what it prints on stderr reaches nobody who double-clicked it).

/// Shows `text` under `title` as an error the user has to acknowledge: a
/// Windows message box, and the same text on stderr (where a script or a
/// terminal sees it). Elsewhere only stderr. Returns when the box is closed.
pub fn show_error(title: &str, text: &str) {
    eprintln!("{title}: {text}");
    #[cfg(windows)]
    {
        use std::ffi::OsStr;
        use std::os::windows::ffi::OsStrExt;
        use windows_sys::Win32::UI::WindowsAndMessaging::{
            MB_ICONERROR, MB_OK, MB_SETFOREGROUND, MessageBoxW,
        };
        let wide = |s: &str| -> Vec<u16> { OsStr::new(s).encode_wide().chain(Some(0)).collect() };
        let (text, title) = (wide(text), wide(title));
        // SAFETY: both strings are NUL-terminated UTF-16 that outlive the call;
        // no owner window.
        unsafe {
            MessageBoxW(
                std::ptr::null_mut(),
                text.as_ptr(),
                title.as_ptr(),
                MB_OK | MB_ICONERROR | MB_SETFOREGROUND,
            );
        }
    }
}
