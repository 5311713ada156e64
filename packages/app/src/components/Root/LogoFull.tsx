import { makeStyles } from '@material-ui/core';
import LogoIcon from './LogoIcon';

const useStyles = makeStyles({
  root: { display: 'flex', alignItems: 'center', gap: 10, height: 30 },
  text: { color: '#7df3e1', fontSize: 24, fontWeight: 600, letterSpacing: 0.5, lineHeight: 1 },
});

/** The open sidebar's logo: the product is "Catalyst" in the UI (reference §1.7). */
const LogoFull = () => {
  const classes = useStyles();
  return (
    <div className={classes.root}>
      <LogoIcon />
      <span className={classes.text}>Catalyst</span>
    </div>
  );
};

export default LogoFull;
