import { makeStyles } from '@material-ui/core';
import LogoIcon from './LogoIcon';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: 10, height: 30 },
  // the icon's svg has width auto, which collapses in a flex row without a sized box
  icon: { display: 'inline-flex', width: 22, flexShrink: 0 },
  text: { color: '#7df3e1', fontSize: 24, fontWeight: 600, letterSpacing: 0.5, lineHeight: 1 },
});

/** The open sidebar's logo: the product is "Catalyst" in the UI (reference §1.7). */
const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <span className={classes.icon}>
        <LogoIcon />
      </span>
      <span className={classes.text}>Catalyst</span>
    </div>
  );
};

export default LogoFull;
