import { renderInTestApp } from '@backstage/test-utils';
import { avatarColour, BlueprintAvatar } from './BlueprintAvatar';

describe('BlueprintAvatar', () => {
  it('shows the first letter of the title in a colour stable per name', async () => {
    const { getByLabelText } = await renderInTestApp(<BlueprintAvatar name="bp-redis" title="Redis" />);
    expect(getByLabelText('Redis')).toHaveTextContent('R');
    expect(avatarColour('bp-redis')).toBe(avatarColour('bp-redis'));
    expect(new Set(['bp-redis', 'bp-postgres', 'bp-wordpress', 'bp-grafana'].map(avatarColour)).size).toBeGreaterThan(
      1,
    );
  });

  it('shows the SVG icon as an image when it is given', async () => {
    const { getByAltText } = await renderInTestApp(<BlueprintAvatar name="bp-redis" title="Redis" svg="<svg/>" />);
    expect(getByAltText('Redis')).toHaveAttribute('src', 'data:image/svg+xml;charset=utf-8,%3Csvg%2F%3E');
  });
});
