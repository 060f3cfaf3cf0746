/* Wine 8 (Debian 12) has no bcryptprimitives.dll, whose ProcessPrng the Rust
 * standard library calls for randomness on every Windows 10 and 11 (where the
 * DLL is part of the system). tests/windows.sh builds this stand-in with
 * MinGW and puts it into its private Wine prefix only, so that the Windows
 * binaries run under Wine. It is never packaged: the MSI does not carry it. */
#include <windows.h>

/* advapi32's RtlGenRandom, exported as SystemFunction036. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
