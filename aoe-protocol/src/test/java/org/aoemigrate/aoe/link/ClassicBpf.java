package org.aoemigrate.aoe.link;

import java.nio.ByteBuffer;
import java.util.List;

/**
 * A classic-BPF interpreter for the instructions {@link AoeFilter} emits (absolute loads,
 * constant jumps, constant returns), with the kernel's semantics: a load past the end of the
 * frame ends the program with 0 (drop), jump offsets count from the next instruction, and
 * running off the end is an error (the kernel's checker refuses such a program). Any other
 * instruction is refused, so a filter change that needs more shows up here first.
 */
final class ClassicBpf {

    private ClassicBpf() {}

    /** Runs the program over the frame between position and limit; returns the kept length (0 = drop). */
    static int run(List<BpfInstruction> program, ByteBuffer frame) {
        ByteBuffer f = frame.slice();
        int a = 0;
        int pc = 0;
        while (true) {
            if (pc < 0 || pc >= program.size()) {
                throw new IllegalStateException("program ran off its end at " + pc);
            }
            BpfInstruction in = program.get(pc++);
            int k = in.k();
            switch (in.code()) {
                case 0x20, 0x28, 0x30 -> { // ld / ldh / ldb [k]
                    int size = in.code() == 0x20 ? 4 : in.code() == 0x28 ? 2 : 1;
                    if (k < 0 || k + size > f.limit()) {
                        return 0;
                    }
                    a = size == 4 ? f.getInt(k) : size == 2 ? f.getShort(k) & 0xFFFF : f.get(k) & 0xFF;
                }
                case 0x05 -> pc += k; // ja
                case 0x15 -> pc += a == k ? in.jt() : in.jf(); // jeq #k
                case 0x45 -> pc += (a & k) != 0 ? in.jt() : in.jf(); // jset #k
                case 0x06 -> { // ret #k
                    return k;
                }
                default -> throw new UnsupportedOperationException("instruction " + in + " at " + (pc - 1));
            }
        }
    }
}
