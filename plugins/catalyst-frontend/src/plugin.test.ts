import { catalystPlugin } from './plugin';

describe('catalyst', () => {
  it('should export plugin', () => {
    expect(catalystPlugin).toBeDefined();
  });
});
