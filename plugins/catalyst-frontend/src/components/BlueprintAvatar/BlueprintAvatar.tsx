import { Avatar, makeStyles } from '@material-ui/core';

const PALETTE = ['#336791', '#DC382D', '#21759B', '#009639', '#F46800', '#6D4C41', '#5C6BC0', '#00838F'];

const useStyles = makeStyles(theme => ({
  avatar: { width: theme.spacing(6), height: theme.spacing(6), fontSize: '1.4rem', fontWeight: 600 },
}));

/** Same name, same colour: a stable hash so cards keep their look between visits. */
export function avatarColour(name: string): string {
  let h = 0;
  for (const c of name) h = (h * 31 + c.charCodeAt(0)) >>> 0;
  return PALETTE[h % PALETTE.length];
}

export interface BlueprintAvatarProps {
  name: string;
  title?: string;
  /** SVG text of the Blueprint's `card.icon`, when the page has loaded its files. */
  svg?: string;
}

/**
 * The Blueprint's icon. Cards have no icon URL to load (the icon is a file in the Blueprint's
 * folder), so they show a letter avatar; detail pages that load the files pass the SVG, shown as an
 * image so nothing in it can run.
 */
export function BlueprintAvatar(props: BlueprintAvatarProps) {
  const { name, title, svg } = props;
  const classes = useStyles();
  const label = title ?? name.replace(/^bp-/, '');
  if (svg) {
    return (
      <Avatar
        className={classes.avatar}
        variant="rounded"
        alt={label}
        src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`}
      />
    );
  }
  return (
    <Avatar
      className={classes.avatar}
      variant="rounded"
      style={{ backgroundColor: avatarColour(name) }}
      aria-label={label}
    >
      {label.charAt(0).toUpperCase()}
    </Avatar>
  );
}
