package org.aoemigrate.aoe.link;

import java.nio.ByteBuffer;

/**
 * One classic-BPF instruction, the kernel's {@code struct sock_filter}: a 16-bit opcode, two
 * 8-bit jump offsets (taken when the test is true / false, counted from the next instruction)
 * and a 32-bit constant. Only the opcodes {@link AoeFilter} emits have names here.
 *
 * @see <a href="https://www.kernel.org/doc/html/latest/networking/filter.html">Linux Socket Filtering</a>
 */
public record BpfInstruction(int code, int jt, int jf, int k) {

    /** {@code sizeof(struct sock_filter)}. */
    static final int SIZE = 8;

    // class | size | mode, from linux/filter.h and linux/bpf_common.h
    static final int LD_H_ABS = 0x00 | 0x08 | 0x20;
    static final int LD_B_ABS = 0x00 | 0x10 | 0x20;
    static final int JMP_JA = 0x05 | 0x00;
    static final int JMP_JEQ_K = 0x05 | 0x10 | 0x00;
    static final int JMP_JSET_K = 0x05 | 0x40 | 0x00;
    static final int RET_K = 0x06 | 0x00;

    public BpfInstruction {
        if ((code & ~0xFFFF) != 0 || (jt & ~0xFF) != 0 || (jf & ~0xFF) != 0) {
            throw new IllegalArgumentException("not a sock_filter: code " + code + " jt " + jt + " jf " + jf);
        }
    }

    static BpfInstruction loadHalfword(int offset) {
        return new BpfInstruction(LD_H_ABS, 0, 0, offset);
    }

    static BpfInstruction loadByte(int offset) {
        return new BpfInstruction(LD_B_ABS, 0, 0, offset);
    }

    /** Skips {@code skip} instructions when A == k, else goes on. */
    static BpfInstruction skipIfEqual(int k, int skip) {
        return new BpfInstruction(JMP_JEQ_K, skip, 0, k);
    }

    /** Skips {@code skip} instructions when A != k, else goes on. */
    static BpfInstruction skipUnlessEqual(int k, int skip) {
        return new BpfInstruction(JMP_JEQ_K, 0, skip, k);
    }

    static BpfInstruction skipIfAnyBit(int mask, int skip) {
        return new BpfInstruction(JMP_JSET_K, skip, 0, mask);
    }

    static BpfInstruction skipUnlessAnyBit(int mask, int skip) {
        return new BpfInstruction(JMP_JSET_K, 0, skip, mask);
    }

    /** Unconditional jump; its 32-bit offset reaches past the 255 that jt/jf allow. */
    static BpfInstruction jump(int skip) {
        return new BpfInstruction(JMP_JA, 0, 0, skip);
    }

    /** Ends the program: 0 drops the frame, otherwise at most k bytes of it are kept. */
    static BpfInstruction ret(int k) {
        return new BpfInstruction(RET_K, 0, 0, k);
    }

    /** Writes the struct in the machine's byte order, as the kernel reads it. */
    void writeTo(ByteBuffer nativeOrder, int index) {
        nativeOrder.putShort(index, (short) code);
        nativeOrder.put(index + 2, (byte) jt);
        nativeOrder.put(index + 3, (byte) jf);
        nativeOrder.putInt(index + 4, k);
    }

    /** The {@code { 0x28, 0, 0, 0x0000000c }} form tcpdump -dd prints. */
    @Override
    public String toString() {
        return String.format("{ 0x%02x, %d, %d, 0x%08x }", code, jt, jf, k);
    }
}
