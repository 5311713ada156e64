import { useState } from 'react';
import { useApi } from '@backstage/core-plugin-api';
import { Button, Dialog, DialogActions, DialogContent, DialogContentText, DialogTitle } from '@material-ui/core';
import type { ApplicationDetail, ChangeResponse } from '@internal/plugin-catalyst-common';
import { catalystApiRef } from '../../api';

/**
 * Pause (scale to zero on purpose) or resume, as one commit. Pausing asks first: the Application
 * stops serving until it is resumed.
 */
export function PauseControl(props: {
  environment: string;
  application: ApplicationDetail;
  disabled: boolean;
  onDone: (result: ChangeResponse) => void;
  onFailed: (error: Error) => void;
}) {
  const { environment, application: app, disabled, onDone, onFailed } = props;
  const api = useApi(catalystApiRef);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const pausing = !app.paused;
  const run = async () => {
    setConfirming(false);
    setBusy(true);
    try {
      onDone(await api.updateApplication(environment, app.name, { paused: pausing }));
    } catch (e) {
      onFailed(e as Error);
    } finally {
      setBusy(false);
    }
  };
  let label = pausing ? 'Pause' : 'Resume';
  if (busy) label = pausing ? 'Pausing…' : 'Resuming…';
  return (
    <>
      <Button
        variant="outlined"
        color={pausing ? 'secondary' : 'primary'}
        disabled={disabled || busy}
        onClick={() => (pausing ? setConfirming(true) : run())}
        style={{ marginTop: 8 }}
      >
        {label}
      </Button>
      <Dialog open={confirming} onClose={() => setConfirming(false)} aria-labelledby="pause-title">
        <DialogTitle id="pause-title">Pause {app.name}?</DialogTitle>
        <DialogContent>
          <DialogContentText>
            A commit in {environment} scales {app.name} to zero: it stops serving until it is resumed. Its settings
            stay, and the Applications it depends on keep running.
          </DialogContentText>
        </DialogContent>
        <DialogActions>
          <Button onClick={() => setConfirming(false)}>Cancel</Button>
          <Button color="secondary" variant="contained" onClick={run}>
            Pause
          </Button>
        </DialogActions>
      </Dialog>
    </>
  );
}
