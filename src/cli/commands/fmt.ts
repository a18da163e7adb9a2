// Placeholder until the fmt command lands; exits 2 so nothing mistakes it for success.
import type { CommandSpec } from '../io.ts';

const spec: CommandSpec = {
  command: 'fmt',
  describe: '(not available yet)',
  builder: (y) => y,
  run: async (_args, io) => {
    io.stderr('seqrun fmt: not available yet\n');
    return 2;
  },
};
export default spec;
