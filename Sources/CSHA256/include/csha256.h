#ifndef NEEDLESIM_CSHA256_H
#define NEEDLESIM_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/// Writes the SHA-256 digest of `length` bytes at `data` to `digest` (32 bytes). Uses the CPU's SHA
/// instructions where it has them (x86-64 SHA-NI), and portable C elsewhere.
void csha256_digest(const void *data, size_t length, uint8_t digest[32]);

/// The same digest, always in portable C: lets the tests compare both paths on machines with SHA-NI.
void csha256_digest_portable(const void *data, size_t length, uint8_t digest[32]);

/// 1 when `csha256_digest` uses the CPU's SHA instructions.
int csha256_uses_cpu_instructions(void);

#endif
