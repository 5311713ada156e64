import { ScaffolderFieldExtensions, useCustomFieldExtensions } from '@backstage/plugin-scaffolder-react';
import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import {
  CatalystApplicationRefPickerFieldExtension,
  CatalystDependencyChoiceFieldExtension,
  CatalystDomainPickerFieldExtension,
  CatalystEnvironmentNamePreviewFieldExtension,
  CatalystEnvironmentPickerFieldExtension,
  CatalystPasswordFieldExtension,
} from './extensions';

const outlet = (
  <ScaffolderFieldExtensions>
    <CatalystEnvironmentPickerFieldExtension />
    <CatalystApplicationRefPickerFieldExtension />
    <CatalystDomainPickerFieldExtension />
    <CatalystPasswordFieldExtension />
    <CatalystDependencyChoiceFieldExtension />
    <CatalystEnvironmentNamePreviewFieldExtension />
  </ScaffolderFieldExtensions>
);

function Registered() {
  const extensions = useCustomFieldExtensions(outlet);
  return (
    <ul>
      {extensions.map(e => (
        <li key={e.name}>
          {e.name}:{e.validation ? 'validated' : 'unvalidated'}
        </li>
      ))}
    </ul>
  );
}

describe('scaffolder field extensions', () => {
  it('register under the names the generated Templates use, each with its validator', async () => {
    await renderInTestApp(<Registered />);
    expect(screen.getAllByRole('listitem').map(li => li.textContent)).toEqual([
      'CatalystEnvironmentPicker:validated',
      'CatalystApplicationRefPicker:validated',
      'CatalystDomainPicker:validated',
      'CatalystPassword:validated',
      'CatalystDependencyChoice:validated',
      'CatalystEnvironmentNamePreview:validated',
    ]);
  });
});
