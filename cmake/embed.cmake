# Writes OUT, a C file defining SYMBOL as the text of IN (a NUL-terminated
# char array). Run with cmake -P; used for the build-time copy of
# distro-info-data's tables.
file(READ "${IN}" content HEX)
string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," bytes "${content}")
string(REGEX REPLACE "(0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,0x..,)" "\\1\n" bytes "${bytes}")
file(WRITE "${OUT}" "/* Generated from ${IN} at build time. */\nconst char ${SYMBOL}[] = {\n${bytes}0x00\n};\n")
