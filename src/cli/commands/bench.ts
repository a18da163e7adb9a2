// Placeholder until the bench command lands; exits 2 so nothing mistakes it for success.
import type { CommandSpec } from '../io.ts';

const spec: CommandSpec = {
  command: 'bench',
  describe: '(not available yet)',
  builder: (y) => y,
  run: async (_args, io) => {
    io.stderr('seqrun bench: not available yet\n');
    return 2;
  },
};
export default spec;
