import { LinkButton } from '@backstage/core-components';
import { Tooltip } from '@material-ui/core';
import AddIcon from '@material-ui/icons/Add';
import { useCatalystPermission } from '../../permissions/useCatalystPermission';
import { useInstallLink } from './installLink';

export interface InstallButtonProps {
  blueprint: { name: string; organization?: string };
  /** Preselects this Environment in the install form and checks the user may install there. */
  environment?: string;
  label?: string;
  variant?: 'contained' | 'outlined' | 'text';
}

/**
 * Install → the Blueprint's install Template. With an Environment, the button is disabled for users
 * who may not install there, with who may (the roles, from the same role table as the server's
 * policy); without one, the form asks and the server decides.
 */
export function InstallButton(props: InstallButtonProps) {
  const { blueprint, environment, label = 'Install', variant = 'contained' } = props;
  const link = useInstallLink();
  const { allowed, loading, reason } = useCatalystPermission({ doing: 'install', environment });
  const mayInstall = !environment || allowed;
  const button = (
    <LinkButton
      to={link(blueprint, environment)}
      color="primary"
      variant={variant}
      startIcon={<AddIcon />}
      disabled={Boolean(environment) && (loading || !allowed)}
      aria-label={`${label} ${blueprint.name}`}
    >
      {label}
    </LinkButton>
  );
  if (mayInstall || loading) return button;
  return (
    <Tooltip title={reason ?? `You may not install into ${environment}`}>
      {/* a span, because a disabled button fires no events for the tooltip */}
      <span>{button}</span>
    </Tooltip>
  );
}
