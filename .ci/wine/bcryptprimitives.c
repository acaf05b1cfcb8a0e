/*
 * Debian 12's Wine 8.0 has no bcryptprimitives.dll, which the Go runtime
 * (1.24 and later) loads at start for ProcessPrng. This stand-in gives it
 * ProcessPrng over advapi32's RtlGenRandom (SystemFunction036), so that
 * Windows test binaries run under that Wine. Test use only: never shipped.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buf, ULONG len);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
	while (len > 0) {
		ULONG n = len > 0x10000000 ? 0x10000000 : (ULONG)len;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		len -= n;
	}
	return TRUE;
}
